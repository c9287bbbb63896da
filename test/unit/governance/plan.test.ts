import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { CheckRunEffect, CommitEffect, Effect } from "../../../src/governance/model/effects.js";
import { plan } from "../../../src/governance/plan.js";
import type { PersonComment, Snapshot } from "../../../src/governance/model/snapshot.js";
import { readState } from "../../../src/governance/model/record.js";
import { afterCommit } from "../../../src/github/reconcile.js";
import { NOW, SECTIONS, rules, sepText } from "../../helpers/sep.js";
import { trigger } from "../../../src/governance/model/trigger.js";
import { applyToSnapshot, kinds, labelledBy, pushedBy, rerunBy, sepFile, snapshot } from "../../helpers/snapshot.js";

const REAL = new URL("../../fixtures/real-seps", import.meta.url).pathname;
const before = readFileSync(`${REAL}/rename-example/before-0000-workload-identity-federation.md`, "utf8");
const after = readFileSync(`${REAL}/rename-example/after-1933-workload-identity-federation.md`, "utf8");
const PR_URL = "https://github.com/modelcontextprotocol/modelcontextprotocol/pull/1933";

const commitOf = (effects: Effect[]) => effects.find((e): e is CommitEffect => e.kind === "commit");
const checkOf = (effects: Effect[]) => effects.find((e): e is CheckRunEffect => e.kind === "check-run");

/** Plans, applies (commit included), and plans again until nothing is left: the loop a webhook runs. */
function converge(start: Snapshot, max = 4) {
  let s = start;
  const history: Effect[][] = [];
  for (let i = 0; i < max; i++) {
    const p = plan(s, rules, NOW);
    history.push(p.effects);
    if (p.effects.length === 0) return { snapshot: s, history };
    const commit = commitOf(p.effects);
    s = commit ? afterCommit(s, commit, `${i}`.repeat(40).slice(0, 40), NOW) : applyToSnapshot(s, p.effects);
  }
  throw new Error(`did not converge: ${JSON.stringify(history.map(kinds))}`);
}

describe("a new 0000- SEP", () => {
  const start = snapshot({ files: [sepFile("seps/0000-workload-identity-federation.md", before)] });

  it("is renamed in one commit: file, heading and PR field, nothing else", () => {
    const commit = commitOf(plan(start, rules, NOW).effects)!;
    expect(commit).toMatchObject({ repo: { owner: "modelcontextprotocol", name: "modelcontextprotocol" }, branch: "wif", expectedHeadSha: "a".repeat(40), baseTreeSha: "t".repeat(40) });
    expect(commit.changes.map((c) => [c.path, c.content === null])).toEqual([
      ["seps/1933-workload-identity-federation.md", false],
      ["seps/0000-workload-identity-federation.md", true],
    ]);
    // The person's rename fixed the heading but left the PR field: the bot does both.
    const expected = after.replace("https://github.com/modelcontextprotocol/specification/pull/{NUMBER}", PR_URL);
    expect(commit.changes[0]!.content).toBe(expected);
  });

  it("keeps CRLF line endings and a BOM byte for byte", () => {
    const crlf = `\uFEFF${before.replace(/\n/g, "\r\n")}`;
    const commit = commitOf(plan(snapshot({ files: [sepFile("seps/0000-workload-identity-federation.md", crlf)] }), rules, NOW).effects)!;
    expect(commit.changes[0]!.content).toBe(`\uFEFF${after.replace(/\n/g, "\r\n").replace("https://github.com/modelcontextprotocol/specification/pull/{NUMBER}", PR_URL)}`);
  });

  it("converges: after the commit, labels, check and comment; then nothing", () => {
    const { snapshot: end, history } = converge(start);
    expect(history.map(kinds)).toEqual([["commit", "check-run", "labels", "create-comment"], ["check-run", "labels", "create-comment"], []]);
    expect(end.pr.labels).toEqual(["SEP", "proposal"]);
    expect(end.comments).toHaveLength(1);
    expect(end.comments[0]!.body).toContain("### SEP-1933: Workload Identity Federation");
    expect(end.comments[0]!.body).toContain("renamed `seps/0000-workload-identity-federation.md` to `seps/1933-workload-identity-federation.md`");
    expect(end.comments[0]!.body).toContain("2027-05-19: becomes dormant unless a sponsor is found.");
  });

  it("a fork that does not allow maintainer edits gets the exact commands and a failing check", () => {
    const fork = snapshot({
      files: [sepFile("seps/0000-workload-identity-federation.md", before)],
      pr: { headRepo: { owner: "pieter", name: "modelcontextprotocol", isFork: true, ownerIsOrganization: false }, maintainerCanModify: false },
    });
    const p = plan(fork, rules, NOW);
    expect(commitOf(p.effects)).toBeUndefined();
    const check = checkOf(p.effects)!;
    expect(check.conclusion).toBe("failure");
    expect(check.summary).toContain("rename-pending");
    const comment = p.effects.find((e) => e.kind === "create-comment") as { body: string };
    expect(comment.body).toContain("git mv seps/0000-workload-identity-federation.md seps/1933-workload-identity-federation.md");
  });

  it("the commit says what each path it touches is at the head: the SEP a file, the new name nothing", () => {
    expect(commitOf(plan(start, rules, NOW).effects)!.headModes).toEqual({ "seps/1933-workload-identity-federation.md": null, "seps/0000-workload-identity-federation.md": "100644" });
  });

  it.each([
    ["a symbolic link", "120000"],
    ["a submodule", "160000"],
  ])("a new SEP path that is %s: a file-not-regular finding, and never renamed, even with text read for it", (kind, mode) => {
    const linked = snapshot({ files: [sepFile("seps/0000-workload-identity-federation.md", before, { headMode: mode })] });
    const p = plan(linked, rules, NOW);
    expect(commitOf(p.effects)).toBeUndefined();
    const check = checkOf(p.effects)!;
    expect(check.conclusion).toBe("failure");
    expect(check.annotations.map((a) => a.title)).toEqual(["file-not-regular"]);
    expect(check.annotations[0]!.message).toContain(`\`seps/0000-workload-identity-federation.md\` is ${kind}, not a file`);
    expect(check.actions ?? []).toEqual([]); // no "Fix these": nothing of it is sep-bot's to write
  });

  it("a user fork that allows edits is pushed to, on the fork", () => {
    const fork = snapshot({
      files: [sepFile("seps/0000-workload-identity-federation.md", before)],
      pr: { headRepo: { owner: "pieter", name: "mcp-fork", isFork: true, ownerIsOrganization: false }, maintainerCanModify: true },
    });
    expect(commitOf(plan(fork, rules, NOW).effects)?.repo).toEqual({ owner: "pieter", name: "mcp-fork" });
  });

  it.each([
    ["an organisation fork", { headRepo: { owner: "acme", name: "mcp", isFork: true, ownerIsOrganization: true }, maintainerCanModify: true }],
    ["a deleted fork", { headRepo: null }],
    ["a PR from the default branch", { headRef: "main" }],
  ])("%s is never pushed to", (_name, pr) => {
    const p = plan(snapshot({ files: [sepFile("seps/0000-workload-identity-federation.md", before)], pr }), rules, NOW);
    expect(commitOf(p.effects)).toBeUndefined();
    expect(checkOf(p.effects)!.summary).toContain("rename-pending");
  });

  it("after GitHub refused the push, it explains instead of retrying", () => {
    const p = plan({ ...start, pushDenied: "GitHub refused the push (403)" }, rules, NOW);
    expect(commitOf(p.effects)).toBeUndefined();
    expect(checkOf(p.effects)!.summary).toContain("GitHub refused the push (403)");
  });

  it("a target name already on the base branch is a finding, not an overwrite", () => {
    const p = plan({ ...start, basePathsTaken: ["seps/1933-workload-identity-federation.md"] }, rules, NOW);
    expect(commitOf(p.effects)).toBeUndefined();
    expect(checkOf(p.effects)!.summary).toContain("already exists on the base branch");
  });

  it("a closed PR is not renamed", () => {
    expect(commitOf(plan({ ...start, pr: { ...start.pr, state: "closed" } }, rules, NOW).effects)).toBeUndefined();
  });

  it("two new SEPs in one PR: asked to split, neither renamed", () => {
    const two = snapshot({ files: [sepFile("seps/0000-a.md", sepText({ heading: "# SEP-0000: A" })), sepFile("seps/0000-b.md", sepText({ heading: "# SEP-0000: B" }))] });
    const p = plan(two, rules, NOW);
    expect(commitOf(p.effects)).toBeUndefined();
    expect(checkOf(p.effects)!.summary).toContain("sep-multiple");
    expect(p.effects.find((e) => e.kind === "labels")).toEqual({ kind: "labels", add: ["SEP"], remove: [], labels: ["SEP"] });
  });
});

describe("idempotency", () => {
  it("a reconciled PR plans zero writes, however often it is asked", () => {
    const { snapshot: end } = converge(snapshot({ files: [sepFile("seps/0000-workload-identity-federation.md", before)] }));
    for (const trigger of [pushedBy("pieter"), rerunBy("x"), labelledBy("sep-bot[bot]", "proposal")]) {
      expect(plan({ ...end, trigger }, rules, NOW).effects).toEqual([]);
    }
  });

  it("duplicate status comments (a retried create) are folded into the first", () => {
    const { snapshot: end } = converge(snapshot({ files: [sepFile("seps/1933-wif.md", after.replace("{NUMBER}", "1933"))] }));
    const dup = { ...end, comments: [...end.comments, { id: 5000, body: end.comments[0]!.body }] };
    expect(plan(dup, rules, NOW).effects).toEqual([{ kind: "delete-comment", id: 5000 }]);
  });

  it("whatever order GitHub lists duplicates in, every instance keeps the oldest (lowest id)", () => {
    const { snapshot: end } = converge(snapshot({ files: [sepFile("seps/1933-wif.md", after.replace("{NUMBER}", "1933"))] }));
    const body = end.comments[0]!.body;
    const listed = { ...end, comments: [{ id: 900, body: "<!-- sep-bot:status --> stale" }, { id: 30, body }, { id: 400, body }] };
    expect(plan(listed, rules, NOW).effects).toEqual([
      { kind: "delete-comment", id: 400 },
      { kind: "delete-comment", id: 900 },
    ]);
  });

  it("a check run from before a push is not reused for the new head", () => {
    const { snapshot: end } = converge(snapshot({ files: [sepFile("seps/1933-wif.md", after.replace("{NUMBER}", "1933"))] }));
    expect(kinds(plan({ ...end, pr: { ...end.pr, headSha: "b".repeat(40) } }, rules, NOW).effects)).toEqual(["check-run"]);
  });
});

describe("status and labels", () => {
  const draft = sepText({ heading: "# SEP-1933: Widgets", pr: PR_URL, sponsor: "Grace (@grace)" });
  const base = (o: Partial<Snapshot> & { labels?: string[]; text?: string; assignees?: string[] } = {}) =>
    converge(snapshot({ files: [sepFile("seps/1933-widgets.md", o.text ?? draft)], pr: { assignees: o.assignees ?? ["grace"], labels: o.labels ?? [] } })).snapshot;

  it("labels follow the file: SEP + draft", () => {
    expect(base().pr.labels).toEqual(["SEP", "draft"]);
  });

  it("a SEP without a sponsor gets `proposal`, whatever its Status says", () => {
    expect(base({ text: sepText({ heading: "# SEP-1933: Widgets", pr: PR_URL, sponsor: "None (seeking sponsor)" }), assignees: [] }).pr.labels).toEqual(["SEP", "proposal"]);
  });

  it("other labels are untouched", () => {
    const s = base();
    const withOthers = { ...s, pr: { ...s.pr, labels: [...s.pr.labels, "good first issue", "spec"] } };
    expect(plan(withOthers, rules, NOW).effects).toEqual([]);
  });

  it("an unauthorised label change is put back, and the comment says why", () => {
    const s = base();
    const tampered: Snapshot = { ...s, pr: { ...s.pr, labels: [...s.pr.labels, "accepted"] }, trigger: labelledBy("mallory", "accepted") };
    const p = plan(tampered, rules, NOW);
    expect(p.effects.filter((e) => e.kind !== "update-comment")).toEqual([{ kind: "labels", add: [], remove: ["accepted"], labels: ["SEP", "draft"] }]);
    const comment = p.effects.find((e) => e.kind === "update-comment") as { body: string };
    expect(comment.body).toContain("**Last action** (2026-11-21): removed the `accepted` label added by @\u200bmallory: only the sponsor or a maintainer changes a SEP's status");
    expect(commitOf(p.effects)).toBeUndefined();
  });

  it("the sponsor (named and assigned) moves the SEP by label: the file follows in a commit", () => {
    const s = base();
    const byLabel: Snapshot = { ...s, pr: { ...s.pr, labels: [...s.pr.labels, "in-review"] }, trigger: labelledBy("grace", "in-review") };
    const p = plan(byLabel, rules, NOW);
    const commit = commitOf(p.effects)!;
    expect(commit.changes).toEqual([{ path: "seps/1933-widgets.md", content: draft.replace("- **Status**: Draft", "- **Status**: In-Review") }]);
    expect(commit.summary).toContain("label `in-review` by @grace");
    // After the commit: draft label removed, nothing else.
    const next = plan(afterCommit(byLabel, commit, "c".repeat(40), NOW), rules, NOW);
    expect(next.effects.filter((e) => e.kind === "labels")).toEqual([{ kind: "labels", add: [], remove: ["draft"], labels: ["SEP", "in-review"] }]);
  });

  it("a Sponsor field naming someone who is not assigned gives no authority", () => {
    const s = base({ assignees: [] });
    const byLabel: Snapshot = { ...s, pr: { ...s.pr, labels: [...s.pr.labels, "accepted"] }, trigger: labelledBy("grace-not-maintainer", "accepted") };
    const text = sepText({ heading: "# SEP-1933: Widgets", pr: PR_URL, sponsor: "(@grace-not-maintainer)" });
    const p = plan({ ...byLabel, files: [sepFile("seps/1933-widgets.md", text)] }, rules, NOW);
    expect(p.effects).toContainEqual(expect.objectContaining({ kind: "labels", add: [], remove: ["accepted"] }));
  });

  it("when the label event is late or lost, the timeline says who applied the extra state label", () => {
    const s = base();
    const withLabel = (actor: string): Snapshot => ({
      ...s,
      pr: { ...s.pr, labels: [...s.pr.labels, "in-review"], labelEvents: [{ label: "draft", added: true, actor: "sep-bot", at: "2026-11-20T00:00:00Z" }, { label: "in-review", added: true, actor, at: "2026-11-21T00:00:00Z" }] },
      trigger: pushedBy("pieter", "d".repeat(40)),
    });
    expect(plan(withLabel("mallory"), rules, NOW).effects).toContainEqual(expect.objectContaining({ kind: "labels", remove: ["in-review"] }));
    expect(commitOf(plan(withLabel("max"), rules, NOW).effects)!.changes[0]!.content).toContain("- **Status**: In-Review");
  });

  it("a label follows the lifecycle, like a command: a maintainer's `accepted` on a draft is put back, saying why", () => {
    const s = base();
    const p = plan({ ...s, pr: { ...s.pr, labels: [...s.pr.labels, "accepted"] }, trigger: labelledBy("max", "accepted") }, rules, NOW);
    expect(commitOf(p.effects)).toBeUndefined();
    expect(p.effects).toContainEqual(expect.objectContaining({ kind: "labels", remove: ["accepted"] }));
    expect((p.effects.find((e) => e.kind === "update-comment") as { body: string }).body).toContain(
      "removed the `accepted` label added by @\u200bmax: a SEP cannot move from Draft to Accepted. From Draft it can move to `In-Review`, `Dormant`, `Withdrawn`.",
    );
  });

  it("accepted stamps the Accepted date", () => {
    const s = base({ text: draft.replace("Status**: Draft", "Status**: In-Review"), labels: ["in-review"] });
    expect([...s.pr.labels].sort()).toEqual(["SEP", "in-review"]);
    const p = plan({ ...s, pr: { ...s.pr, labels: [...s.pr.labels, "accepted"] }, trigger: labelledBy("max", "accepted") }, rules, NOW);
    const content = commitOf(p.effects)!.changes[0]!.content!;
    expect(content).toContain("- **Status**: Accepted\n");
    expect(content).toContain("- **Created**: 2026-01-15\n- **Accepted**: 2026-11-21\n");
  });

  it("a maintainer's `proposal` label on a dormant SEP: the file says Draft, as the template writes a SEP awaiting a sponsor, not `Proposal`", () => {
    const dormant = sepText({ heading: "# SEP-1933: Widgets", pr: PR_URL, status: "Dormant", sponsor: "None" });
    const s = base({ text: dormant, labels: ["dormant"], assignees: [] });
    expect([...s.pr.labels].sort()).toEqual(["SEP", "dormant"]);
    const p = plan({ ...s, pr: { ...s.pr, labels: [...s.pr.labels, "proposal"] }, trigger: labelledBy("max", "proposal") }, rules, NOW);
    const content = commitOf(p.effects)!.changes[0]!.content!;
    expect(content).toContain("- **Status**: Draft\n");
    expect(content).not.toContain("Proposal");
  });

  it("a `proposal` label on a draft is put back: the way back to awaiting a sponsor is `/unsponsor`", () => {
    const s = base();
    const p = plan({ ...s, pr: { ...s.pr, labels: [...s.pr.labels, "proposal"] }, trigger: labelledBy("max", "proposal") }, rules, NOW);
    expect(p.effects).toContainEqual(expect.objectContaining({ kind: "labels", remove: ["proposal"] }));
  });

  it("a maintainer applying `draft` to a SEP awaiting a sponsor becomes its sponsor", () => {
    const seeking = sepText({ heading: "# SEP-1933: Widgets", pr: PR_URL, sponsor: "None" });
    const s = base({ text: seeking, assignees: [] });
    expect(s.pr.labels).toEqual(["SEP", "proposal"]);
    const p = plan({ ...s, pr: { ...s.pr, labels: [...s.pr.labels, "draft"] }, trigger: labelledBy("max", "draft") }, rules, NOW);
    expect(commitOf(p.effects)!.changes[0]!.content).toBe(seeking.replace("- **Sponsor**: None", "- **Sponsor**: @max"));
  });

  it("a push by the author that changes Status fails the check and keeps the label", () => {
    const s = base();
    const pushed: Snapshot = { ...s, files: [sepFile("seps/1933-widgets.md", draft.replace("Status**: Draft", "Status**: Accepted"))], pr: { ...s.pr, headSha: "d".repeat(40) }, trigger: pushedBy("pieter", "d".repeat(40)) };
    const p = plan(pushed, rules, NOW);
    const check = checkOf(p.effects)!;
    expect(check.conclusion).toBe("failure");
    expect(check.summary).toContain("Status changes are made by the sponsor");
    expect(p.effects.some((e) => e.kind === "labels")).toBe(false);
  });

  it("the same push by a maintainer moves the labels", () => {
    const s = base();
    const before = "b".repeat(40);
    const pushed: Snapshot = {
      ...s,
      files: [sepFile("seps/1933-widgets.md", draft.replace("Status**: Draft", "Status**: In-Review"), { pushed: [{ sha: before, text: draft }] })],
      pr: { ...s.pr, headSha: "d".repeat(40) },
      trigger: pushedBy("max", "d".repeat(40), before),
    };
    const p = plan(pushed, rules, NOW);
    expect(checkOf(p.effects)!.conclusion).toBe("success");
    expect(p.effects).toContainEqual({ kind: "labels", add: ["in-review"], remove: ["draft"], labels: ["SEP", "in-review"] });
  });

  it("a maintainer's push that did not change the Status (Update branch, a suggestion) endorses nothing the author wrote", () => {
    const s = base();
    const final = draft.replace("Status**: Draft", "Status**: Final");
    const pushed: Snapshot = {
      ...s,
      files: [sepFile("seps/1933-widgets.md", final, { pushed: [{ sha: "b".repeat(40), text: final }] })],
      pr: { ...s.pr, headSha: "d".repeat(40) },
      trigger: pushedBy("max", "d".repeat(40), "b".repeat(40)),
    };
    const p = plan(pushed, rules, NOW);
    expect(checkOf(p.effects)!.summary).toContain("status-change-unauthorised");
    expect(p.effects.some((e) => e.kind === "labels")).toBe(false);
  });

  it("a maintainer's push that skips steps of the lifecycle is refused, saying how to go on", () => {
    const s = base();
    const pushed: Snapshot = {
      ...s,
      files: [sepFile("seps/1933-widgets.md", draft.replace("Status**: Draft", "Status**: Final"), { pushed: [{ sha: "b".repeat(40), text: draft }] })],
      pr: { ...s.pr, headSha: "d".repeat(40) },
      trigger: pushedBy("max", "d".repeat(40), "b".repeat(40)),
    };
    const summary = checkOf(plan(pushed, rules, NOW).effects)!.summary;
    expect(summary).toContain("status-transition-invalid");
    expect(summary).toContain("@max set the Status to Final, but a SEP cannot move from Draft to Final.");
  });

  it("a label the bot's whole-list write dropped (someone added it in the same second) comes back; one a person removed does not", () => {
    const s = base();
    const events = (actor: string) => [
      { label: "spec", added: true, actor: "pieter", at: "2026-11-20T10:00:00Z" },
      { label: "spec", added: false, actor, at: "2026-11-20T10:00:01Z" },
    ];
    const dropped = plan({ ...s, pr: { ...s.pr, labelEvents: events("sep-bot") } }, rules, NOW);
    expect(dropped.effects).toContainEqual({ kind: "labels", add: ["spec"], remove: [], labels: ["SEP", "draft", "spec"] });
    // (The label changes are activity, so the clocks' deadlines may move: only the labels matter here.)
    expect(plan({ ...s, pr: { ...s.pr, labelEvents: events("pieter") } }, rules, NOW).effects.filter((e) => e.kind === "labels")).toEqual([]);
  });

  describe("pushes merged into one run (a burst)", () => {
    const inReview = draft.replace("Status**: Draft", "Status**: In-Review");
    const HEAD = "e".repeat(40);
    const MAINTAINERS_PUSH = "f".repeat(40);
    const merged = (headText: string, pushedText: string) => {
      const s = base();
      return {
        ...s,
        files: [sepFile("seps/1933-widgets.md", headText, { pushed: [{ sha: MAINTAINERS_PUSH, text: pushedText }, { sha: "c".repeat(40), text: draft }] })],
        pr: { ...s.pr, headSha: HEAD },
        trigger: trigger({ events: ["pull_request.synchronize"], actors: ["max", "pieter"], pushes: [{ actor: "max", sha: MAINTAINERS_PUSH, before: "c".repeat(40) }, { actor: "pieter", sha: HEAD, before: MAINTAINERS_PUSH }] }),
      } satisfies Snapshot;
    };

    it("a maintainer's Status push, then the author's unrelated push on top: labels follow, as one at a time", () => {
      const p = plan(merged(inReview.replace("## Motivation", "## Motivation\n\nMore."), inReview), rules, NOW);
      expect(checkOf(p.effects)!.summary).not.toContain("status-change-unauthorised");
      expect(p.effects).toContainEqual({ kind: "labels", add: ["in-review"], remove: ["draft"], labels: ["SEP", "in-review"] });
    });

    it("the author's push on top changed the Status again: not the maintainer's doing, the check fails", () => {
      const accepted = draft.replace("Status**: Draft", "Status**: Accepted");
      const p = plan(merged(accepted, inReview), rules, NOW);
      expect(checkOf(p.effects)!.summary).toContain("status-change-unauthorised");
      expect(p.effects.some((e) => e.kind === "labels")).toBe(false);
    });
  });

  it("a new SEP may not start past Draft unless a maintainer opens it, and never as Accepted: nobody accepts their own SEP", () => {
    const text = (status: string) => sepText({ heading: "# SEP-1933: Widgets", pr: PR_URL, status });
    // The opening push: the file was not there before it.
    const opened = (status: string, author: string) =>
      checkOf(plan(snapshot({ files: [sepFile("seps/1933-widgets.md", text(status), { pushed: [{ sha: "b".repeat(40), text: null }] })], pr: { author }, trigger: pushedBy(author, "a".repeat(40), "b".repeat(40)) }), rules, NOW).effects)!.summary;
    expect(opened("In-Review", "pieter")).toContain("status-change-unauthorised");
    expect(opened("In-Review", "max")).not.toContain("status-change-unauthorised");
    expect(opened("Accepted", "max")).toContain("status-change-unauthorised");
  });

  it("first met with no event (install day): what was there is taken as it is, and a disagreement is said, not failed", () => {
    const text = sepText({ heading: "# SEP-1933: Widgets", pr: PR_URL, status: "In-Review", sponsor: "Grace (@grace)" });
    // Labelled `draft` by the previous automation; the file says In-Review.
    const met = plan(snapshot({ files: [sepFile("seps/1933-widgets.md", text)], pr: { assignees: ["grace"], labels: ["SEP", "draft"] } }), rules, NOW);
    const check = checkOf(met.effects)!;
    expect(check.conclusion).toBe("success");
    expect(check.summary).not.toContain("status-change-unauthorised");
    expect(met.effects.some((e) => e.kind === "labels")).toBe(false); // labels kept as they were
    const comment = met.effects.find((e) => e.kind === "create-comment") as { body: string };
    expect(comment.body).toContain("The file says In-Review, but its label says `draft`; both were set before sep-bot came");
    // The next reconcile keeps the same view while nothing moves, and writes nothing.
    const next = applyToSnapshot(snapshot({ files: [sepFile("seps/1933-widgets.md", text)], pr: { assignees: ["grace"], labels: ["SEP", "draft"] } }), met.effects);
    expect(plan(next, rules, NOW).effects).toEqual([]);
    // The sponsor settles it with the label: the labels follow, nothing is refused.
    const settled = plan({ ...next, pr: { ...next.pr, labels: ["SEP", "draft", "in-review"] }, trigger: labelledBy("grace", "in-review") }, rules, NOW);
    expect(settled.effects).toContainEqual({ kind: "labels", add: [], remove: ["draft"], labels: ["SEP", "in-review"] });
    expect(checkOf(settled.effects)?.summary ?? "").not.toContain("status-change-unauthorised");
  });

  it("editing an existing SEP in another PR: no rename, its status is not a change", () => {
    const existing = readFileSync(`${REAL}/1850-pr-based-sep-workflow.md`, "utf8");
    const p = plan(snapshot({ files: [sepFile("seps/1850-pr-based-sep-workflow.md", existing.replace("formalizes", "formalises"), { change: "modified", baseText: existing })], pr: { number: 2100 } }), rules, NOW);
    expect(commitOf(p.effects)).toBeUndefined();
    expect(checkOf(p.effects)!.summary).not.toContain("status-change-unauthorised");
    expect(p.effects).toContainEqual({ kind: "labels", add: ["SEP", "final"], remove: [], labels: ["SEP", "final"] });
  });

  it("a SEP in a frozen status with missing sections still passes (warnings)", () => {
    const text = sepText({ heading: "# SEP-1933: W", pr: PR_URL, status: "Final", sections: SECTIONS.replace(/## Rationale\n\n[^#]*/, "") });
    const p = plan(snapshot({ files: [sepFile("seps/1933-w.md", text, { change: "modified", baseText: text })] }), rules, NOW);
    expect(checkOf(p.effects)!.conclusion).toBe("success");
  });
});

describe("first contact: what was there is taken as found, and nothing irreversible follows from it", () => {
  const DAY = 86_400_000;
  const ago = (days: number) => new Date(NOW.getTime() - days * DAY).toISOString();
  const later = (days: number) => new Date(NOW.getTime() + days * DAY);
  const sweepTrigger = trigger({ events: ["timer"] });
  const file = (sponsor: string) => sepFile("seps/1933-widgets.md", sepText({ heading: "# SEP-1933: Widgets", pr: PR_URL, sponsor }));
  /** A PR opened 200 days ago, labelled `proposal` by the old automation, then `draft` by `by` 150 days ago. */
  const found = (sponsor: string, o: { draftBy?: string | null; assignees?: string[]; discussion?: PersonComment[] } = {}): Snapshot => {
    const draftBy = o.draftBy === undefined ? "grace" : o.draftBy;
    const labelEvents = [{ label: "proposal", added: true, actor: "github-actions", at: ago(200) }];
    if (draftBy) labelEvents.push({ label: "proposal", added: false, actor: draftBy, at: ago(150) }, { label: "draft", added: true, actor: draftBy, at: ago(150) });
    return snapshot({
      files: [file(sponsor)],
      pr: { createdAt: ago(200), labels: ["SEP", draftBy ? "draft" : "proposal"], labelEvents, assignees: o.assignees ?? [] },
      discussion: o.discussion ?? [],
      trigger: sweepTrigger,
    });
  };
  const statusBody = (effects: Effect[]) => (effects.find((e) => e.kind === "create-comment" || e.kind === "update-comment") as { body: string } | undefined)?.body ?? "";
  /** Plans at each time, applying what it can (no commits here), and returns every effect. */
  const over = (start: Snapshot, times: Date[]) => {
    let s = start;
    const all: Effect[] = [];
    for (const t of times) {
      const p = plan({ ...s, trigger: sweepTrigger }, rules, t);
      all.push(...p.effects);
      s = applyToSnapshot(s, p.effects);
    }
    return { effects: all, snapshot: s };
  };
  const irreversible = (effects: Effect[]) => effects.filter((e) => e.kind === "pull-request-state" || (e.kind === "labels" && e.add.includes("dormant")) || (e.kind === "reply" && /dormant/.test(e.body)));

  it("a maintainer named as Sponsor who applied `draft` before sep-bot, never assigned, 200 days old: the sponsor, as found; never dormant", () => {
    const first = plan(found("Grace (@grace)"), rules, NOW);
    const body = statusBody(first.effects);
    expect(body).toContain("| **Sponsor** | @grace |");
    expect(body).not.toContain("dormant");
    expect(body).not.toContain("both were set before sep-bot came");
    expect(first.effects.some((e) => e.kind === "labels")).toBe(false); // `draft` kept
    expect(readState(body).foundSponsor?.login).toBe("grace");
    expect(readState(body).sep).toMatchObject({ sponsor: "grace", state: "draft", clock: "draft" });
    expect(readState(body).log.map((e) => e.what)).toContainEqual("first saw this pull request: took @grace as its sponsor, as found: named in the file, with the `draft` label from before sep-bot");
    const { effects } = over(applyToSnapshot(found("Grace (@grace)"), first.effects), [later(1), later(14), later(15), later(200)]);
    expect(irreversible(effects)).toEqual([]);
    expect(checkOf(effects)?.summary ?? "").not.toContain("status-change-unauthorised");
  });

  it("a Sponsor naming a maintainer nobody confirmed (not assigned, no label of theirs): still awaiting one; the author is warned with a date, the maintainer never told as its sponsor", () => {
    // Labelled `proposal` only: an author cannot make a maintainer their sponsor (or stop the clock) by writing a name.
    const first = plan(found("Grace (@grace)", { draftBy: null }), rules, NOW);
    const body = statusBody(first.effects);
    expect(body).toContain("none yet (the file names `grace`; the maintainer `grace` sponsors it once assigned)");
    expect(body).toContain(`becomes dormant on ${later(14).toISOString().slice(0, 10)}, in 14 days`);
    expect(body).not.toContain("@grace");
    expect(readState(body).sep).toMatchObject({ sponsor: null, state: "proposal", clock: "proposal" });
    expect(irreversible(first.effects)).toEqual([]); // a warning first, never the act
    const { effects } = plan({ ...applyToSnapshot(found("Grace (@grace)", { draftBy: null }), first.effects), trigger: sweepTrigger }, rules, later(14));
    expect(effects.some((e) => e.kind === "commit" && e.message.includes("Dormant"))).toBe(true); // the warned date: dormant
    expect(effects.filter((e) => e.kind === "reply" || e.kind === "create-comment").map((e) => ("body" in e ? e.body : ""))).not.toContainEqual(expect.stringContaining("@grace"));
  });

  it("labels and file disagreeing since before sep-bot (a maintainer's `draft`, the file seeking a sponsor): said, the clocks run as the label says, never dormant", () => {
    const first = plan(found("None (seeking sponsor)"), rules, NOW);
    const body = statusBody(first.effects);
    expect(body).toContain("both were set before sep-bot came");
    expect(body).not.toContain("dormant");
    expect(readState(body).sep?.clock).toBe("draft");
    const { effects, snapshot: after } = over(applyToSnapshot(found("None (seeking sponsor)"), first.effects), [later(14), later(200), later(400)]);
    expect(irreversible(effects)).toEqual([]);
    expect(after.pr.labels).toEqual(["SEP", "draft"]);
  });

  it("a warning the cooldown holds back keeps its date: two consecutive daily plans give byte-identical status comments", () => {
    // Met on its day 160: the day-90 reminder goes out inside the first status comment.
    const s = snapshot({ files: [file("None (seeking sponsor)")], pr: { createdAt: ago(160), labels: ["SEP", "proposal"], labelEvents: [{ label: "proposal", added: true, actor: "github-actions", at: ago(160) }] }, trigger: sweepTrigger });
    const first = plan(s, rules, NOW);
    const body = statusBody(first.effects);
    const warnOn = later(14).toISOString().slice(0, 10);
    const actOn = later(28).toISOString().slice(0, 10);
    expect(body).toContain(`It becomes dormant on ${actOn}`);
    expect(body).toContain(`- ${warnOn}: a last warning to the author.`);
    expect(body).toContain(`- ${actOn}: becomes dormant unless a sponsor is found (its warning waits for the 14 days between reminders, then 14 days' notice).`);
    let next = applyToSnapshot(s, first.effects);
    // Days 166 and 167 (the warning's day, held by the cooldown): nothing to write, the same comment.
    for (const t of [later(6), later(7)]) {
      const p = plan({ ...next, trigger: sweepTrigger }, rules, t);
      expect(p.effects, t.toISOString()).toEqual([]);
      next = applyToSnapshot(next, p.effects);
    }
    expect(next.comments[0]!.body).toBe(body);
    // The cooldown over: the warning goes out with the date the comment showed.
    const warned = plan({ ...next, trigger: sweepTrigger }, rules, later(14));
    expect(warned.effects.find((e) => e.kind === "reply")).toMatchObject({ body: expect.stringContaining(`becomes dormant on ${actOn}, in 14 days`) });
  });

  describe("commands written before sep-bot met the pull request", () => {
    const said = (id: number, author: string, body: string, createdAt: string): PersonComment => ({ id, author, authorName: null, body, createdAt, editedAt: null, editor: null, url: `${PR_URL}#issuecomment-${id}`, reacted: false });
    const old = [said(11, "pieter", "/sponsor\nplease, anyone?", ago(60)), said(12, "max", "Looks good.\n/review", ago(50)), said(13, "mallory", "/lgtm", ago(40))];
    const sponsored = (discussion: PersonComment[], t = sweepTrigger) => ({ ...found("Grace (@grace)", { assignees: ["grace"], discussion }), trigger: t });

    it("are history: none runs, no reaction, no reply; each is recorded; a command written after first contact runs", () => {
      const first = plan(sponsored(old), rules, NOW);
      expect(first.effects.filter((e) => e.kind === "reaction" || e.kind === "reply" || e.kind === "commit")).toEqual([]);
      const body = statusBody(first.effects);
      expect(readState(body).commands.map((h) => h.c)).toEqual([11, 12, 13]);
      expect(body).toContain("3 comments with commands from before sep-bot came taken as history, not run (write a command again to run it)");
      // Later, max writes `/review` again (found by the next sweep, or delivered): it runs.
      const met = applyToSnapshot(sponsored(old), first.effects);
      const again = plan({ ...met, discussion: [...old, said(14, "max", "/review", later(1).toISOString())] }, rules, later(1));
      expect(commitOf(again.effects)?.changes[0]?.content).toContain("- **Status**: In-Review");
      expect(again.effects).toContainEqual({ kind: "reaction", commentId: 14, content: "+1" });
      expect(again.effects.filter((e) => e.kind === "reaction").map((e) => (e as { commentId: number }).commentId)).toEqual([14]);
    });

    it("the command that woke sep-bot runs; so does everything on a pull request opened while sep-bot is there, and a comment from the last minutes", () => {
      const woke = plan(sponsored([...old, said(14, "max", "/review", ago(0.5))], trigger({ events: ["issue_comment.created"], comments: [14], actors: ["max"] })), rules, NOW);
      expect(woke.effects.filter((e) => e.kind === "reaction").map((e) => (e as { commentId: number }).commentId)).toEqual([14]);
      expect(commitOf(woke.effects)?.changes[0]?.content).toContain("- **Status**: In-Review");

      const opened = plan(sponsored([said(15, "max", "/review", ago(0.01))], trigger({ events: ["pull_request.opened"], actors: ["pieter"] })), rules, NOW);
      expect(opened.effects).toContainEqual({ kind: "reaction", commentId: 15, content: "+1" });

      const recent = plan(sponsored([...old, said(16, "max", "/review", new Date(NOW.getTime() - 60_000).toISOString())]), rules, NOW);
      expect(recent.effects.filter((e) => e.kind === "reaction").map((e) => (e as { commentId: number }).commentId)).toEqual([16]);
    });
  });
});

describe("what the bot never does", () => {
  it("commits only inside the SEP directory, to the head branch", () => {
    const p = plan(snapshot({ files: [sepFile("seps/0000-workload-identity-federation.md", before)] }), rules, NOW);
    const commit = commitOf(p.effects)!;
    expect(commit.branch).not.toBe("main");
    for (const change of commit.changes) expect(change.path).toMatch(/^seps\/[^/]+\.md$/);
  });

  it("a PR without SEP files gets nothing at all", () => {
    expect(plan(snapshot({ files: [] }), rules, NOW).effects).toEqual([]);
  });
});
