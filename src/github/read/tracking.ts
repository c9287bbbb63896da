import type { TrackedSdk, Tracking } from "../../governance/model/record.js";
import { parseBlock } from "../../governance/sdks/umbrella.js";
import type { TrackedIssues } from "../../reports/sweep/due.js";
import type { FoundIssue, TrackingRead } from "../../governance/model/snapshot.js";
import { sdksOf } from "../../governance/sdks/list.js";
import { isBot } from "../../governance/sdks/tracking.js";
import type { Rules } from "../../rules/schema.js";
import { graphql, nodesOf, type BlobNode, type Connection, type GitHub, type Variables } from "../graphql.js";
import { BLOB_FRAGMENT } from "./contents.js";

/**
 * What the SDK tracking of one SEP reads (governance/sdks/tracking.ts), in
 * one GraphQL request when nothing new is listed: the SDK list file, the pull
 * request's milestone (its release), this repository's latest issues (the
 * umbrella), a search for issues naming the SEP (filed by people, long ago),
 * and in each selected SDK repository its latest issues and the issues
 * sep-bot tracks there. The latest issues are read, not searched, because
 * GitHub's search index lags: an issue sep-bot filed a second ago is in the
 * list at once, so it is never filed twice. A repository that cannot be read
 * is listed as such, never a failed reconcile.
 */

/** Enough for the seconds between filing and reading again, and a busy repository's day. */
const LATEST = 30;

const ISSUE_FIELDS = "number title url state stateReason author { login }";

interface IssueNode {
  number: number;
  title: string;
  url: string;
  state: "OPEN" | "CLOSED";
  stateReason?: string | null;
  author?: { login: string } | null;
  repository?: { nameWithOwner: string };
}

interface RepoNode {
  nameWithOwner?: string;
  recent?: Connection<IssueNode> | null;
  [alias: string]: unknown;
}

export interface TrackingReadInput {
  owner: string;
  repo: string;
  /** The pull request, and the SEP's number (the same, normally). */
  number: number;
  sep: number;
  defaultBranch: string;
  botLogin: string;
}

export async function readTracking(octokit: GitHub, input: TrackingReadInput, rules: Rules, memory: Tracking | null): Promise<TrackingRead> {
  const sdkRules = rules.sdks!;
  // The SDK repositories as far as they are known before the list file is read: what was tracked, and the rules' own list.
  const presumed = [...new Set([...(memory?.sdks ?? []).map((s) => s.repo), ...sdkRules.list.filter((e) => e.tier !== null && sdkRules.tiers.includes(e.tier)).map((e) => e.repo)].map((r) => r.toLowerCase()))];
  // Search for people's issues while something is still to file or adopt, or an SDK's issue was closed as declined
  // or a duplicate (another issue may take its place).
  const unsettled = !memory?.umbrella || !memory.sdks.length || memory.sdks.some((s) => (!s.number && s.state !== "not-needed") || s.state === "not-planned");
  const first = await query(octokit, input, rules, memory, presumed, true, unsettled);
  const sdks = sdksOf(sdkRules, first.sdkFile).filter((s) => s.tier !== null && sdkRules.tiers.includes(s.tier));
  const missing = sdks.map((s) => s.repo.toLowerCase()).filter((r) => !presumed.includes(r));
  if (!missing.length) return first;
  // An SDK new to the list: its latest issues, and (unless the first read did) a search for older ones naming the SEP.
  const more = await query(octokit, input, rules, memory, missing, false, !unsettled);
  return { ...first, issues: [...first.issues, ...more.issues], unreadable: [...first.unreadable, ...more.unreadable] };
}

async function query(octokit: GitHub, input: TrackingReadInput, rules: Rules, memory: Tracking | null, repos: readonly string[], withHome: boolean, search: boolean): Promise<TrackingRead> {
  const sdkRules = rules.sdks!;
  const declarations: string[] = [];
  const variables: Variables = {};
  const fields: string[] = [];
  const optional: string[] = [];
  if (search) {
    // A person's issue naming the SEP anywhere in the organisation (or the rules' SDK repositories elsewhere), in its
    // title or linking it; the index may lag, the lists below do not. Only while something is still to file or adopt.
    declarations.push("$q: String!");
    const elsewhere = sdkRules.list.map((e) => e.repo).filter((r) => r.split("/")[0]!.toLowerCase() !== input.owner.toLowerCase());
    variables.q = `"SEP-${input.sep}" is:issue in:title,body org:${input.owner}${elsewhere.map((r) => ` repo:${r}`).join("")}`;
    fields.push(`search(query: $q, type: ISSUE, first: 50) { nodes { ... on Issue { ${ISSUE_FIELDS} body repository { nameWithOwner } } } }`);
    optional.push("search");
  }
  if (withHome) {
    declarations.push("$owner: String!", "$name: String!", "$number: Int!");
    Object.assign(variables, { owner: input.owner, name: input.repo });
    variables.number = input.number;
    const home = [`pullRequest(number: $number) { milestone { title dueOn } }`, `recent: issues(first: ${LATEST}, orderBy: { field: CREATED_AT, direction: DESC }) { nodes { ${ISSUE_FIELDS} } }`];
    if (sdkRules.file) {
      declarations.push("$sdkFile: String!");
      variables.sdkFile = `${input.defaultBranch}:${sdkRules.file}`;
      home.push("sdkFile: object(expression: $sdkFile) { ...SepBlob }");
    }
    // The remembered umbrella with its text: a list people edited is put back.
    if (memory?.umbrella) home.push(`umbrella: issue(number: ${memory.umbrella}) { ${ISSUE_FIELDS} body }`);
    fields.push(`repository(owner: $owner, name: $name) { ${home.join(" ")} }`);
    optional.push("umbrella");
  }
  repos.forEach((repo, i) => {
    const [owner, name] = repo.split("/") as [string, string];
    declarations.push(`$o${i}: String!`, `$n${i}: String!`);
    Object.assign(variables, { [`o${i}`]: owner, [`n${i}`]: name });
    const known = (memory?.sdks ?? []).filter((s) => s.repo.toLowerCase() === repo && s.number).map((s) => `k${s.number}: issue(number: ${s.number}) { ${ISSUE_FIELDS} }`);
    fields.push(`r${i}: repository(owner: $o${i}, name: $n${i}) { nameWithOwner recent: issues(first: ${LATEST}, orderBy: { field: CREATED_AT, direction: DESC }) { nodes { ${ISSUE_FIELDS} } } ${known.join(" ")} }`);
    optional.push(`r${i}`);
  });
  const text = `query SepTracking(${declarations.join(", ")}) {\n  ${fields.join("\n  ")}\n}${withHome && sdkRules.file ? `\n${BLOB_FRAGMENT}` : ""}`;
  const { data, failed } = await tolerating<Record<string, unknown>>(octokit, text, variables, optional);

  const home = `${input.owner}/${input.repo}`;
  const issues: FoundIssue[] = [];
  const add = (repo: string, node: (IssueNode & { body?: string | null }) | null | undefined, withBody = false) => {
    if (!node || typeof node.number !== "number") return;
    issues.push({
      repo,
      number: node.number,
      title: node.title,
      url: node.url,
      state: node.state === "OPEN" ? "open" : "closed",
      stateReason: node.stateReason?.toLowerCase() ?? null,
      byBot: isBot(node.author?.login, input.botLogin),
      ...(withBody ? { body: typeof node.body === "string" ? node.body : null } : {}),
    });
  };
  let sdkFile: string | null = null;
  let milestone: TrackingRead["milestone"] = null;
  if (withHome) {
    const repo = data.repository as (RepoNode & { pullRequest?: { milestone?: { title: string; dueOn: string | null } | null } | null; sdkFile?: BlobNode | null; umbrella?: IssueNode | null }) | null;
    // The umbrella first: of the issues read twice, the first kept is the one with its text.
    add(home, repo?.umbrella, true);
    for (const node of nodesOf(repo?.recent)) add(home, node);
    sdkFile = typeof repo?.sdkFile?.text === "string" && !repo.sdkFile.isTruncated ? repo.sdkFile.text : null;
    milestone = repo?.pullRequest?.milestone ?? null;
  }
  const found: Array<{ repo: string; node: IssueNode & { body?: string } }> = [];
  if (search) {
    for (const node of nodesOf((data.search as Connection<IssueNode & { body?: string }> | null) ?? null)) if (node.repository) found.push({ repo: node.repository.nameWithOwner, node });
  }
  const unreadable: string[] = [];
  // GitHub follows a renamed or transferred repository: its issues are filed under the name the list gives, so the
  // plan finds them (tagged with the new name, the SDK would get a second issue on every event).
  const listedAs = new Map<string, string>();
  repos.forEach((repo, i) => {
    const node = data[`r${i}`] as RepoNode | null | undefined;
    if (!node || failed.has(`r${i}`)) {
      unreadable.push(repo);
      return;
    }
    if (node.nameWithOwner) listedAs.set(node.nameWithOwner.toLowerCase(), repo);
    for (const issue of nodesOf(node.recent)) add(repo, issue);
    for (const [key, value] of Object.entries(node)) if (/^k\d+$/.test(key)) add(repo, value as IssueNode | null);
  });
  const pr = new RegExp(`github\\.com/${input.owner}/${input.repo}/pull/${input.number}\\b|\\bSEP-${input.sep}\\b`, "i");
  for (const { repo, node } of found) {
    add(listedAs.get(repo.toLowerCase()) ?? repo, node);
    if (pr.test((node.body ?? "").slice(0, 20_000))) issues.at(-1)!.linksSep = true;
  }
  // One issue once (the latest list, the search and the tracked ones overlap).
  const byKey = new Map<string, FoundIssue>();
  for (const issue of issues) {
    const key = `${issue.repo.toLowerCase()}#${issue.number}`;
    const known = byKey.get(key);
    if (!known) byKey.set(key, issue);
    else if (issue.linksSep) known.linksSep = true;
  }
  const unique = [...byKey.values()];
  return { sdkFile, milestone, issues: unique, sdksRead: true, unreadable };
}

/**
 * The answer, with the aliases GitHub would not answer (not found, not
 * visible to this token, SAML) set apart: only those may fail; anything else
 * fails the read as usual.
 */
async function tolerating<T extends Record<string, unknown>>(octokit: GitHub, text: string, variables: Variables, optional: string[]): Promise<{ data: T; failed: Set<string> }> {
  try {
    return { data: await graphql<T>(octokit, text, variables, optional), failed: new Set() };
  } catch (error) {
    const details = error as { name?: string; errors?: Array<{ path?: Array<string | number> }>; data?: T };
    const errors = details.name === "GraphqlResponseError" ? (details.errors ?? []) : [];
    const alias = (e: { path?: Array<string | number> }) => (e.path?.[0] === "repository" ? String(e.path?.[1] ?? "") : String(e.path?.[0] ?? ""));
    if (!errors.length || !details.data || !errors.every((e) => optional.includes(alias(e)))) throw error;
    return { data: details.data, failed: new Set(errors.map(alias)) };
  }
}

/**
 * The sweep's read of every SDK issue sep-bot tracks: those the SEP pull
 * requests' records name, and those of the umbrellas still open here (read
 * with the roles: a SEP merged long ago is still implemented after), in one
 * request whatever their number (none when nothing is tracked): one alias per
 * repository, one field per issue. What it finds is
 * compared with what each record (or umbrella list) says (reports/sweep/due.ts).
 */
export async function readTrackedIssues(octokit: GitHub, rules: Rules, records: ReadonlyArray<Tracking>, open: ReadonlyArray<{ number: number; body: string }>, notes: string[]): Promise<TrackedIssues | null> {
  if (!rules.sdks) return null;
  try {
    const umbrellas = open.flatMap((i) => {
      const block = parseBlock(i.body ?? "");
      return block ? [{ number: i.number, block }] : [];
    });
    const wanted = new Map<string, Set<number>>();
    const want = (repo: string, number: number | null) => {
      if (!number) return;
      const key = repo.toLowerCase();
      if (!wanted.has(key)) wanted.set(key, new Set());
      wanted.get(key)!.add(number);
    };
    for (const record of records) for (const sdk of record.sdks) want(sdk.repo, sdk.number);
    for (const { block } of umbrellas) for (const sdk of block.sdks) want(sdk.repo, sdk.number);
    const states: Record<string, TrackedSdk["state"]> = {};
    const repos = [...wanted.entries()];
    if (repos.length) {
      const declarations: string[] = [];
      const variables: Variables = {};
      const fields = repos.map(([repo, numbers], i) => {
        const [o, n] = repo.split("/") as [string, string];
        declarations.push(`$o${i}: String!`, `$n${i}: String!`);
        Object.assign(variables, { [`o${i}`]: o, [`n${i}`]: n });
        return `r${i}: repository(owner: $o${i}, name: $n${i}) { ${[...numbers].map((k) => `i${k}: issue(number: ${k}) { number state stateReason }`).join(" ")} }`;
      });
      const { data } = await tolerating<Record<string, Record<string, { number: number; state: string; stateReason?: string | null } | null> | null>>(
        octokit,
        `query SepTrackedIssues(${declarations.join(", ")}) {\n  ${fields.join("\n  ")}\n}`,
        variables,
        repos.map((_, i) => `r${i}`),
      );
      repos.forEach(([repo], i) => {
        for (const issue of Object.values(data[`r${i}`] ?? {})) {
          if (issue && typeof issue.number === "number") states[`${repo}#${issue.number}`] = issue.state === "OPEN" ? "open" : issue.stateReason === "NOT_PLANNED" || issue.stateReason === "DUPLICATE" ? "not-planned" : "done";
        }
      });
    }
    return { states, umbrellas: umbrellas.map(({ number, block }) => ({ number, sep: block.sep, pr: block.pr, sdks: block.sdks })) };
  } catch (error) {
    notes.push(`the SDK issues could not be read (${(error as Error).message.split("\n")[0]}): their umbrellas are not ticked this time.`);
    return null;
  }
}
