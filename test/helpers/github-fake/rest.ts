import { API } from "../octokit.js";
import { forbidden, unprocessable, type Reply } from "./faults.js";
import { answerGraphql } from "./graphql.js";
import { APP_ID, BOT, blobBytes, entryOf, INSTALLATION_ID, lower, OWNER, REPO, type CheckRun, type Files, type IssueState, type PullState } from "./model.js";
import type { GitHubState } from "./state.js";

/**
 * GitHub's REST API over the fake's state: the routes sep-bot calls (the
 * installation token, pull request files, git data, labels, check runs,
 * comments, reactions, assignees, closing, workflow dispatches, issues),
 * each a pattern, a kind (`token`, `read`, `write`) and a handler that
 * answers as GitHub does and changes the state as GitHub would (queueing
 * the webhooks a write causes). POST /graphql is a route too; graphql.ts
 * answers it. `GitHubFake` (server.ts) finds the route for a request.
 */

export type RequestKind = "token" | "read" | "write";

export interface Route {
  method: string;
  pattern: RegExp;
  kind: RequestKind;
  handle: (match: RegExpExecArray, body: Record<string, unknown>, query: URLSearchParams) => Reply | Promise<Reply>;
}

/** Every route the fake serves, its handlers working on `fake`. */
export function restRoutes(fake: GitHubState): Route[] {
  const repo = "/repos/([^/]+)/([^/]+)";
  const issue = `${repo}/issues/(\\d+)`;
  const route = (method: string, pattern: string, kind: RequestKind, handle: Route["handle"]): Route => ({
    method,
    pattern: new RegExp(`^${pattern}$`),
    kind,
    handle,
  });
  const notFound: Reply = { status: 404, body: { message: "Not Found" } };
  /** Repositories the installation can push to: the base, and a fork that accepts it. */
  const writable = (owner: string, name: string): Reply | null => {
    const access = fake.pushAccess(owner, name);
    return access === "allowed" ? null : access === "forbidden" ? forbidden() : { status: 404, body: { message: "Not Found" } };
  };
  const isOurs = (m: RegExpExecArray) => fake.isBaseRepo(decodeURIComponent(m[1]!), decodeURIComponent(m[2]!));
  const pullOf = (m: RegExpExecArray) => (isOurs(m) ? fake.pulls.get(Number(m[3])) : undefined);

  const labelWrite = (pr: PullState, next: string[]) => {
    const before = pr.labels;
    const gone = before.filter((l) => !next.some((n) => lower(n) === lower(l)));
    const added = next.filter((n) => !before.some((l) => lower(l) === lower(n)));
    pr.labels = [...before.filter((l) => !gone.includes(l)), ...added];
    for (const label of gone) {
      fake.record({ issue: pr.number, type: "UnlabeledEvent", actor: BOT, label });
      fake.emit({ name: "pull_request", action: "unlabeled", sender: BOT, number: pr.number, label, headSha: pr.headSha });
    }
    for (const label of added) {
      fake.record({ issue: pr.number, type: "LabeledEvent", actor: BOT, label });
      fake.emit({ name: "pull_request", action: "labeled", sender: BOT, number: pr.number, label, headSha: pr.headSha });
    }
    return { status: 200, body: pr.labels.map(labelObject) };
  };

  return [
    route("POST", "/app/installations/(\\d+)/access_tokens", "token", (m) =>
      Number(m[1]) === INSTALLATION_ID
        ? {
            status: 201,
            body: {
              token: "ghs_fakeInstallationToken",
              expires_at: new Date(Date.now() + 3600_000).toISOString(),
              permissions: { checks: "write", contents: "write", issues: "write", pull_requests: "write", metadata: "read" },
              repository_selection: "selected",
            },
          }
        : notFound,
    ),

    route("GET", "/app/installations", "token", () => ({ status: 200, body: [{ id: INSTALLATION_ID, app_id: APP_ID, account: { login: OWNER, type: "Organization" } }] })),

    route("GET", "/installation/repositories", "read", () => ({
      status: 200,
      body: { total_count: 1, repositories: [{ id: 1, name: REPO, full_name: `${OWNER}/${REPO}`, owner: { login: OWNER }, archived: false, private: fake.private }] },
    })),

    route("GET", `${repo}/installation`, "token", (m) => (isOurs(m) ? { status: 200, body: { id: INSTALLATION_ID, app_id: APP_ID, account: { login: OWNER } } } : notFound)),

    // GraphQL (graphql.ts): a mutation counts as a write when the request is recorded.
    route("POST", "/graphql", "read", async (_m, body) => ({
      status: 200,
      body: await answerGraphql(fake, String(body.query ?? ""), (body.variables ?? {}) as Record<string, unknown>),
    })),

    route("GET", `${repo}/pulls/(\\d+)/files`, "read", (m, _b, query) => {
      const pr = pullOf(m);
      if (!pr) return notFound;
      const perPage = Number(query.get("per_page") ?? 30);
      const page = Number(query.get("page") ?? 1);
      const all = fake.changedFiles(pr.number).map((f) => ({ filename: f.path, status: f.status, ...(f.previous ? { previous_filename: f.previous } : {}) }));
      return { status: 200, body: all.slice((page - 1) * perPage, page * perPage) };
    }),

    route("GET", `${repo}/commits/([0-9a-f]{40})/pulls`, "read", (m) => {
      if (!isOurs(m)) return notFound;
      const pulls = [...fake.pulls.values()].filter((p) => p.headSha === m[3]).map((p) => ({ number: p.number, state: p.state, head: { sha: p.headSha, ref: p.headRef } }));
      return { status: 200, body: pulls };
    }),

    // --- git data (on the head repository) ---
    route("POST", `${repo}/git/trees`, "write", (m, body) => {
      const denied = writable(decodeURIComponent(m[1]!), decodeURIComponent(m[2]!));
      if (denied) return denied;
      const baseTree = body.base_tree === undefined ? {} : fake.trees.get(String(body.base_tree));
      if (!baseTree) return unprocessable("base_tree is not a valid tree oid");
      const files: Files = { ...baseTree };
      for (const entry of body.tree as Array<{ path: string; sha?: string | null; content?: string; mode: string; type: string }>) {
        if (entry.mode !== "100644" || entry.type !== "blob") return unprocessable(`unexpected tree entry ${JSON.stringify(entry)}`);
        if (entry.content !== undefined) files[entry.path] = entry.content;
        else if (entry.sha === null) delete files[entry.path];
        else return unprocessable("blob shas are not supported by the fake");
      }
      const sha = fake.tree(files);
      return { status: 201, body: { sha, url: `${API}/repos/${m[1]}/${m[2]}/git/trees/${sha}`, truncated: false, tree: restTree(fake, { files, path: "" }, false) } };
    }),

    // A tree by sha (or a commit's, or a branch's), each entry with its mode: 100644, 100755, 120000 (a link), 160000 (a submodule), 040000.
    route("GET", `${repo}/git/trees/([^/]+)`, "read", (m, _b, query) => {
      const at = isOurs(m) ? fake.treeAt(decodeURIComponent(m[3]!)) : null;
      if (!at) return notFound;
      const recursive = query.has("recursive") && !["0", "false"].includes(query.get("recursive")!);
      const sha = fake.treeEntries(at.files, at.path)?.oid ?? m[3];
      return { status: 200, body: { sha, url: `${API}/repos/${m[1]}/${m[2]}/git/trees/${sha}`, tree: restTree(fake, at, recursive), truncated: false } };
    }),

    route("POST", `${repo}/git/commits`, "write", (m, body) => {
      const denied = writable(decodeURIComponent(m[1]!), decodeURIComponent(m[2]!));
      if (denied) return denied;
      const tree = String(body.tree);
      const parents = (body.parents as string[]) ?? [];
      if (!fake.trees.has(tree)) return unprocessable("Tree SHA does not exist");
      if (parents.some((p) => !fake.commits.has(p))) return unprocessable("Parent SHA does not exist or is not a commit object");
      // Made by the app without a custom author: GitHub signs it, as it signs createCommitOnBranch's.
      const sha = fake.commitTree(tree, parents, String(body.message), true, true);
      return { status: 201, body: { sha, tree: { sha: tree }, parents: parents.map((p) => ({ sha: p })), message: body.message } };
    }),

    route("PATCH", `${repo}/git/refs/heads/(.+)`, "write", (m, body) => {
      const owner = decodeURIComponent(m[1]!);
      const name = decodeURIComponent(m[2]!);
      const branch = m[3]!.split("/").map(decodeURIComponent).join("/");
      const sha = String(body.sha);
      const denied = writable(owner, name);
      if (denied) return denied;
      const key = fake.refKey(owner, name, branch);
      const current = fake.refs.get(key);
      if (!current) return unprocessable("Reference does not exist");
      if (!fake.commits.has(sha)) return unprocessable("Object does not exist");
      if (body.force !== true && !fake.isAncestor(current, sha)) return unprocessable("Update is not a fast forward");
      fake.refs.set(key, sha);
      fake.branchMoved(owner, name, branch, sha);
      return { status: 200, body: { ref: `refs/heads/${branch}`, object: { sha, type: "commit" } } };
    }),

    // A fork's blobs are reachable from the base repository (refs/pull/N/head): one object store serves both.
    route("GET", `${repo}/git/blobs/([0-9a-f]{40})`, "read", (m) => {
      const text = isOurs(m) ? fake.blobText(m[3]!) : undefined;
      if (text === undefined) return notFound;
      const bytes = blobBytes(text);
      // GitHub's base64 comes in lines of 60 characters, each ending in a newline.
      const content = bytes.toString("base64").replace(/.{1,60}/g, "$&\n");
      return { status: 200, body: { sha: m[3], node_id: `B_fake${m[3]!.slice(0, 8)}`, size: bytes.byteLength, url: `${API}/repos/${m[1]}/${m[2]}/git/blobs/${m[3]}`, content, encoding: "base64" } };
    }),

    // --- labels ---
    route("POST", `${issue}/labels`, "write", (m, body) => {
      const pr = pullOf(m);
      if (!pr) return notFound;
      return labelWrite(pr, [...pr.labels, ...((body.labels as string[]) ?? [])]);
    }),

    route("PUT", `${issue}/labels`, "write", (m, body) => {
      const pr = pullOf(m);
      if (!pr) return notFound;
      return labelWrite(pr, (body.labels as string[]) ?? []);
    }),

    route("DELETE", `${issue}/labels/([^/]+)`, "write", (m) => {
      const pr = pullOf(m);
      if (!pr) return notFound;
      const name = decodeURIComponent(m[4]!);
      if (!pr.labels.some((l) => lower(l) === lower(name))) return { status: 404, body: { message: "Label does not exist" } };
      return labelWrite(pr, pr.labels.filter((l) => lower(l) !== lower(name)));
    }),

    // --- check runs ---
    route("POST", `${repo}/check-runs`, "write", (m, body) => {
      if (!isOurs(m)) return notFound;
      if (!fake.commits.has(String(body.head_sha))) return unprocessable("No commit found for SHA");
      const output = (body.output ?? {}) as { title?: string; summary?: string; annotations?: unknown[] };
      if ((output.annotations?.length ?? 0) > 50) return unprocessable("Only 50 annotations are allowed per request");
      // GitHub's limits on buttons: three at most; label 20 characters, description 40, identifier 20.
      const actions = (body.actions ?? []) as CheckRun["actions"];
      if (actions.length > 3 || actions.some((a) => a.label.length > 20 || a.description.length > 40 || a.identifier.length > 20)) return unprocessable("Invalid request: actions exceed GitHub's limits");
      const run: CheckRun = {
        id: fake.newId(),
        name: String(body.name),
        headSha: String(body.head_sha),
        conclusion: (body.conclusion as string) ?? null,
        title: output.title ?? "",
        summary: output.summary ?? "",
        annotations: [...(output.annotations ?? [])],
        actions,
      };
      fake.checkRuns.push(run);
      return { status: 201, body: { id: run.id, name: run.name, head_sha: run.headSha, status: "completed", conclusion: run.conclusion } };
    }),

    route("PATCH", `${repo}/check-runs/(\\d+)`, "write", (m, body) => {
      const run = isOurs(m) ? fake.checkRuns.find((r) => r.id === Number(m[3])) : undefined;
      if (!run) return notFound;
      const output = (body.output ?? {}) as { title?: string; summary?: string; annotations?: unknown[] };
      if ((output.annotations?.length ?? 0) > 50) return unprocessable("Only 50 annotations are allowed per request");
      if (output.title !== undefined) run.title = output.title;
      if (output.summary !== undefined) run.summary = output.summary;
      run.annotations.push(...(output.annotations ?? []));
      return { status: 200, body: { id: run.id } };
    }),

    // --- comments ---
    route("POST", `${issue}/comments`, "write", (m, body) => {
      const pr = pullOf(m);
      const plain = !pr && isOurs(m) ? fake.issues.get(Number(m[3])) : undefined;
      if (plain && typeof body.body === "string") {
        // A comment on an issue (the weekly digest's), kept with it.
        (plain.comments ??= []).push({ author: BOT, body: body.body });
        fake.tick();
        return { status: 201, body: { id: fake.newId(), body: body.body, user: { login: BOT, type: "Bot" } } };
      }
      if (!pr) return notFound;
      if (typeof body.body !== "string" || body.body.length > 65_536) return unprocessable("Body is too long (maximum is 65536 characters)");
      const comment = fake.addComment(BOT, body.body, pr.number);
      fake.emit({ name: "issue_comment", action: "created", sender: BOT, commentId: comment.id, number: pr.number });
      return { status: 201, body: { id: comment.id, body: comment.body, user: { login: BOT, type: "Bot" } } };
    }),

    route("PATCH", `${repo}/issues/comments/(\\d+)`, "write", (m, body) => {
      const comment = isOurs(m) ? fake.allComments.find((c) => c.id === Number(m[3])) : undefined;
      if (!comment) return notFound;
      if (comment.author !== BOT) return forbidden("Resource not accessible by integration");
      if (typeof body.body !== "string" || body.body.length > 65_536) return unprocessable("Body is too long (maximum is 65536 characters)");
      comment.body = body.body;
      comment.updatedAt = fake.tick();
      fake.emit({ name: "issue_comment", action: "edited", sender: BOT, commentId: comment.id, number: comment.issue });
      return { status: 200, body: { id: comment.id, body: comment.body, user: { login: BOT, type: "Bot" } } };
    }),

    // --- reactions (the bot's answer on a command comment) ---
    route("POST", `${repo}/issues/comments/(\\d+)/reactions`, "write", (m, body) => {
      const comment = isOurs(m) ? fake.allComments.find((c) => c.id === Number(m[3])) : undefined;
      if (!comment) return notFound;
      const content = REACTIONS[String(body.content)];
      if (!content) return unprocessable(`content is not a valid reaction: ${String(body.content)}`);
      const existing = comment.reactions.find((r) => r.content === content && r.user === BOT);
      if (existing) return { status: 200, body: { id: 1, content: body.content, user: { login: BOT } } };
      comment.reactions.push({ content, user: BOT, at: fake.tick() });
      return { status: 201, body: { id: 1, content: body.content, user: { login: BOT } } };
    }),

    // --- assignees ---
    route("POST", `${issue}/assignees`, "write", (m, body) => {
      const pr = pullOf(m);
      if (!pr) return notFound;
      for (const login of (body.assignees as string[]) ?? []) {
        if (pr.assignees.some((a) => lower(a) === lower(login))) continue;
        pr.assignees.push(login);
        fake.record({ issue: pr.number, type: "AssignedEvent", actor: BOT, assignee: login });
        fake.emit({ name: "pull_request", action: "assigned", sender: BOT, number: pr.number, assignee: login, headSha: pr.headSha });
      }
      return { status: 201, body: { number: pr.number, assignees: pr.assignees.map((login) => ({ login })) } };
    }),

    route("DELETE", `${issue}/assignees`, "write", (m, body) => {
      const pr = pullOf(m);
      if (!pr) return notFound;
      for (const login of (body.assignees as string[]) ?? []) {
        if (!pr.assignees.some((a) => lower(a) === lower(login))) continue;
        pr.assignees = pr.assignees.filter((a) => lower(a) !== lower(login));
        fake.record({ issue: pr.number, type: "UnassignedEvent", actor: BOT, assignee: login });
        fake.emit({ name: "pull_request", action: "unassigned", sender: BOT, number: pr.number, assignee: login, headSha: pr.headSha });
      }
      return { status: 200, body: { number: pr.number, assignees: pr.assignees.map((login) => ({ login })) } };
    }),

    // --- closing and reopening ---
    route("PATCH", `${repo}/pulls/(\\d+)`, "write", (m, body) => {
      const pr = pullOf(m);
      if (!pr) return notFound;
      const state = body.state;
      if (state !== undefined && state !== "open" && state !== "closed") return unprocessable("state must be open or closed");
      if (state && state !== pr.state) {
        if (pr.merged) return unprocessable("A merged pull request cannot be reopened or closed");
        pr.state = state;
        pr.closedAt = state === "closed" ? new Date(fake.clock).toISOString() : null;
        fake.record({ issue: pr.number, type: state === "closed" ? "ClosedEvent" : "ReopenedEvent", actor: BOT });
        fake.emit({ name: "pull_request", action: state === "closed" ? "closed" : "reopened", sender: BOT, number: pr.number, headSha: pr.headSha });
      }
      return { status: 200, body: { number: pr.number, state: pr.state } };
    }),

    // --- a workflow starting its next run (the sweep's follow-up) ---
    route("POST", `${repo}/actions/workflows/([^/]+)/dispatches`, "write", (m, body) => {
      if (!isOurs(m)) return notFound;
      if (typeof body.ref !== "string" || !body.ref) return unprocessable("ref wasn't supplied");
      const inputs = body.inputs as Record<string, unknown> | undefined;
      const unexpected = fake.workflowInputs === null ? [] : Object.keys(inputs ?? {}).filter((name) => !fake.workflowInputs!.includes(name));
      if (unexpected.length) return unprocessable(`Unexpected inputs provided: ${JSON.stringify(unexpected)}`);
      fake.dispatches.push({ workflow: decodeURIComponent(m[3]!), ref: body.ref, ...(inputs ? { inputs } : {}) });
      return { status: 204 };
    }),

    // --- issues (the weekly digest) ---
    // --- issues (the weekly digest; the SDKs' implementation issues, here and in other repositories) ---
    route("POST", `${repo}/issues`, "write", (m, body) => {
      const [owner, name] = [decodeURIComponent(m[1]!), decodeURIComponent(m[2]!)];
      const other = isOurs(m) ? undefined : fake.otherRepository(owner, name);
      if (!isOurs(m) && !other?.readable) return notFound;
      // A public repository the App is not installed on: readable, not writable.
      if (other && !other.installed) return forbidden("Resource not accessible by integration");
      if (!other && fake.issuesDisabled) return { status: 410, body: { message: "Issues are disabled for this repo" } };
      if (typeof body.title !== "string" || !body.title) return unprocessable("title wasn't supplied");
      if (typeof body.body === "string" && body.body.length > 65_536) return unprocessable("Body is too long (maximum is 65536 characters)");
      const number = other ? other.nextIssue++ : fake.takeNumber();
      const created: IssueState = { number, title: body.title, body: String(body.body ?? ""), labels: [...((body.labels as string[]) ?? [])], author: BOT, state: "open", createdAt: fake.tick() };
      (other ? other.issues : fake.issues).set(number, created);
      return { status: 201, body: { number, title: created.title, html_url: `https://github.com/${other ? `${other.owner}/${other.name}` : `${OWNER}/${REPO}`}/issues/${number}` } };
    }),

    route("GET", `${repo}/issues/(\\d+)`, "read", (m) => {
      const found = fake.issuesOf(decodeURIComponent(m[1]!), decodeURIComponent(m[2]!))?.get(Number(m[3]));
      if (!found) return notFound;
      return { status: 200, body: { number: found.number, title: found.title, body: found.body, state: found.state, state_reason: found.stateReason ?? null, labels: found.labels.map((name) => ({ name })), user: { login: found.author } } };
    }),

    route("PATCH", `${repo}/issues/(\\d+)`, "write", (m, body) => {
      const other = isOurs(m) ? undefined : fake.otherRepository(decodeURIComponent(m[1]!), decodeURIComponent(m[2]!));
      if (other && !other.installed) return other.readable ? forbidden("Resource not accessible by integration") : notFound;
      const found = fake.issuesOf(decodeURIComponent(m[1]!), decodeURIComponent(m[2]!))?.get(Number(m[3]));
      if (!found) return notFound;
      if (typeof body.body === "string" && body.body.length > 65_536) return unprocessable("Body is too long (maximum is 65536 characters)");
      if (typeof body.title === "string") found.title = body.title;
      if (typeof body.body === "string") found.body = body.body;
      if (body.state === "open" || body.state === "closed") found.state = body.state;
      if (typeof body.state_reason === "string") found.stateReason = body.state_reason;
      fake.tick();
      return { status: 200, body: { number: found.number, title: found.title, html_url: `https://github.com/${OWNER}/${REPO}/issues/${found.number}` } };
    }),

    route("DELETE", `${repo}/issues/comments/(\\d+)`, "write", (m) => {
      const comment = isOurs(m) ? fake.allComments.find((c) => c.id === Number(m[3])) : undefined;
      if (!comment) return notFound;
      fake.allComments = fake.allComments.filter((c) => c !== comment);
      return { status: 204 };
    }),
  ];
}

/** REST reaction names -> GraphQL's ReactionContent. */
const REACTIONS: Record<string, string> = { "+1": "THUMBS_UP", "-1": "THUMBS_DOWN", laugh: "LAUGH", hooray: "HOORAY", confused: "CONFUSED", heart: "HEART", rocket: "ROCKET", eyes: "EYES" };

/** A label as GitHub's REST API (and webhooks) show it. */
export function labelObject(name: string) {
  return { id: 1, node_id: "LA_kwDO", url: `${API}/repos/${OWNER}/${REPO}/labels/${encodeURIComponent(name)}`, name, color: "ededed", default: false, description: null };
}

/** A REST tree listing: each entry's path (relative to the tree), mode, type and sha; every level with `recursive`. */
function restTree(fake: GitHubState, at: { files: Files; path: string }, recursive: boolean, base = at.path): Array<Record<string, unknown>> {
  const listed = fake.treeEntries(at.files, at.path);
  const strip = (p: string) => (base ? p.slice(base.length + 1) : p);
  return (listed?.entries ?? []).flatMap((e) => {
    const blob = e.type === "blob" ? blobBytes(entryOf(at.files[e.path]!).data).byteLength : undefined;
    const entry = { path: strip(e.path), mode: e.mode, type: e.type, sha: e.oid, ...(blob === undefined ? {} : { size: blob }), url: `${API}/repos/${OWNER}/${REPO}/git/${e.type === "tree" ? "trees" : "blobs"}/${e.oid}` };
    return recursive && e.type === "tree" ? [entry, ...restTree(fake, { files: at.files, path: e.path }, true, base)] : [entry];
  });
}
