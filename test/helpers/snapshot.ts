import type { Effect } from "../../src/governance/model/effects.js";
import type { ChangedSepFile, Snapshot } from "../../src/governance/model/snapshot.js";
import { readDigest } from "../../src/governance/check/check-run.js";
import { trigger, type Trigger } from "../../src/governance/model/trigger.js";

/** The trigger of a push by `actor` that made `sha` the head (from `before`, when given). */
export const pushedBy = (actor: string, sha = "a".repeat(40), before?: string): Trigger =>
  trigger({ events: ["pull_request.synchronize"], actors: [actor], pushes: [{ actor, sha, ...(before ? { before } : {}) }] });
/** The trigger of `actor` adding (or removing) a label. */
export const labelledBy = (actor: string, label: string, added = true): Trigger =>
  trigger({ events: [`pull_request.${added ? "labeled" : "unlabeled"}`], actors: [actor], labels: [{ actor, label, added }] });
/** A trigger that says nothing about who did what (a re-run). */
export const rerunBy = (actor: string): Trigger => trigger({ events: ["check_run.rerequested"], actors: [actor] });

export const OWNER = "modelcontextprotocol";
export const REPO = "modelcontextprotocol";

export function sepFile(path: string, headText: string, o: Partial<ChangedSepFile> = {}): ChangedSepFile {
  return { path, change: "added", previousPath: null, headText, headSize: Buffer.byteLength(headText), baseText: null, ...o };
}

/** A same-repository SEP PR, open, nothing reconciled yet. */
export function snapshot(o: { files: ChangedSepFile[] } & Partial<Omit<Snapshot, "pr">> & { pr?: Partial<Snapshot["pr"]> }): Snapshot {
  const { pr, ...rest } = o;
  return {
    repo: { owner: OWNER, name: REPO, defaultBranch: "main" },
    pr: {
      number: 1933,
      url: `https://github.com/${OWNER}/${REPO}/pull/1933`,
      state: "open",
      merged: false,
      author: "pieter",
      createdAt: "2026-11-20T10:00:00Z",
      headSha: "a".repeat(40),
      headTreeSha: "t".repeat(40),
      headRef: "wif",
      headRepo: { owner: OWNER, name: REPO, isFork: false, ownerIsOrganization: true },
      maintainerCanModify: false,
      baseRef: "main",
      labels: [],
      assignees: [],
      labelEvents: [],
      activity: [],
      ...pr,
    },
    filesTruncated: false,
    basePathsTaken: ["seps/1850-pr-based-sep-workflow.md"],
    comments: [],
    discussion: [],
    replies: [],
    pings: [],
    checkRun: null,
    roles: { "core-maintainer": ["grace", "max"], maintainer: ["grace", "max"] },
    botLogin: "sep-bot[bot]",
    trigger: pushedBy("pieter"),
    configError: null,
    ...rest,
  };
}

/** What GitHub would look like after the effects: labels, the comment, the check run. */
export function applyToSnapshot(s: Snapshot, effects: readonly Effect[]): Snapshot {
  let labels = [...s.pr.labels];
  let comments = [...s.comments];
  let checkRun = s.checkRun;
  let nextId = 1000;
  for (const e of effects) {
    if (e.kind === "labels") labels = [...labels.filter((l) => !e.remove.includes(l)), ...e.add];
    if (e.kind === "create-comment") comments = [...comments, { id: nextId++, body: e.body }];
    if (e.kind === "update-comment") comments = comments.map((c) => (c.id === e.id ? { ...c, body: e.body } : c));
    if (e.kind === "delete-comment") comments = comments.filter((c) => c.id !== e.id);
    if (e.kind === "check-run") checkRun = { id: nextId++, headSha: e.headSha, digest: readDigest(e.summary) };
    if (e.kind === "commit") throw new Error("apply commits with afterCommit()");
  }
  return { ...s, pr: { ...s.pr, labels }, comments, checkRun, recentActions: [] };
}

export const kinds = (effects: readonly Effect[]) => effects.map((e) => e.kind);
