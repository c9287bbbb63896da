import { createHash } from "node:crypto";
import type { Rules } from "../../rules/schema.js";
import { sameLogin } from "../../shared/logins.js";
import type { Sep } from "../../sep/model.js";
import type { Contribution } from "../model/contribution.js";
import type { Effect } from "../model/effects.js";
import { pingMarker, type BotState, type TrackedSdk, type Tracking } from "../model/record.js";
import type { FoundIssue, Snapshot } from "../model/snapshot.js";
import { sdksOf, type Sdk } from "./list.js";
import { releaseOf } from "./release.js";
import { isUmbrellaTitle, namesSep, sdkIssueText, umbrellaBlock, umbrellaText, type BlockLine, type SepRef } from "./umbrella.js";

/**
 * Implementation across the SDKs, for one SEP (the room of the plan): once
 * asked for (the SEP accepted, or `/track`), one issue in each selected SDK
 * repository and one umbrella issue here listing them, adopting what people
 * filed first (an issue that names the SEP in its title); then, every time
 * the SEP is reconciled, the umbrella's list kept in step with the SDK
 * issues' states, and the sponsor told once when every required SDK is done.
 *
 * Filing is idempotent by construction: issues are only filed from a read
 * that shows they are not there (the SDK repositories' latest issues, and a
 * search for older ones), and the reconcile reads again after filing, so the
 * next plan finds them; an instance or a retry that comes after finds them
 * the same way. What sep-bot cannot write (no access) is recorded, and tried
 * again after `sdks.retryNoAccessDays` or at the next `/track`.
 */

/** What the commands asked of tracking in this plan (`/track`, `/track none`, `/track skip`). */
export interface TrackAsk {
  /** Who asked (null: the SEP's acceptance did). */
  by: string | null;
  via: string;
  none?: string | null;
  skip?: Array<{ repo: string; reason: string }>;
}

export interface TrackingInput {
  snapshot: Snapshot;
  rules: Rules;
  now: Date;
  sep: Sep;
  /** The process state this plan leaves the SEP in. */
  state: string | null;
  memory: BotState;
  sponsor: string | null;
  ask: TrackAsk | null;
  /** Repositories this reconcile could not file in (carried from the pass that tried). */
  noAccess: readonly string[];
}

export interface TrackingResult {
  part: Contribution;
  /** Tracking is on but the SDK repositories were not read: the reconcile reads them and plans again. */
  needsRead: boolean;
}

const NOTHING: TrackingResult = { part: {}, needsRead: false };

export function trackingOf(input: TrackingInput): TrackingResult {
  const { snapshot, rules, now, sep, memory } = input;
  const sdkRules = rules.sdks;
  const number = sep.number ?? snapshot.pr.number;
  if (!sdkRules) return NOTHING;
  const at = now.toISOString();
  const entries: Array<{ at: string; by: string | null; what: string }> = [];
  let tracking: Tracking | null = memory.tracking ?? null;

  // Asked now: by a command, or by the SEP becoming accepted under sep-bot's eyes (not at first contact:
  // a SEP found accepted is tracked when someone asks, `/track`).
  const becameAccepted = input.state === "accepted" && !!memory.sep && memory.sep.state !== "accepted" && memory.sep.state !== "final";
  const needsWork = !!sep.type && sdkRules.types.includes(sep.type);
  // A SEP of a type that needs no SDK work is never tracked, whatever is asked (`/track` refuses it too).
  const ask: TrackAsk | null = !needsWork && !tracking ? null : (input.ask ?? (becameAccepted && needsWork && !tracking ? { by: null, via: "accepted" } : null));
  if (ask) {
    let t: Tracking = tracking ?? { requested: { by: ask.by, at, via: ask.via }, none: null, skip: [], umbrella: null, sdks: [], release: null, done: null, umbrellaBlock: null };
    // `/track` again: asked anew, and repositories sep-bot could not write to are tried again now.
    if (ask.via === "/track") t = { ...t, requested: { by: ask.by, at, via: ask.via }, sdks: t.sdks.map((s) => (s.state === "no-access" ? { ...s, at: null } : s)), umbrellaNoAccess: null };
    // A plain `/track` after `/track none`: the SDKs do need work after all.
    if (ask.via === "/track" && ask.none == null && !ask.skip?.length && t.none) t = { ...t, none: null };
    if (ask.none !== undefined && ask.none !== null) {
      t = { ...t, none: { by: ask.by ?? "sep-bot", at, reason: ask.none.slice(0, 300) } };
      entries.push({ at, by: ask.by, what: `no SDK needs work for this SEP, said ${who(ask.by)}${ask.none ? `: "${ask.none.slice(0, 200)}"` : ""}` });
    }
    for (const skip of ask.skip ?? []) {
      t = { ...t, skip: [...t.skip.filter((s) => !same(s.repo, skip.repo)), { repo: skip.repo, by: ask.by ?? "sep-bot", at, reason: skip.reason.slice(0, 300) }] };
      entries.push({ at, by: ask.by, what: `${skip.repo} needs no work for this SEP, said ${who(ask.by)}${skip.reason ? `: "${skip.reason.slice(0, 200)}"` : ""}` });
    }
    if (ask.via === "accepted") entries.push({ at, by: null, what: "implementation tracking asked for: the SEP was accepted" });
    tracking = t;
  }
  if (!tracking) return NOTHING;
  const remember = (t: Tracking) => (m: BotState) => ({ ...m, tracking: t });
  // No SDK needs work: nothing is filed; an umbrella filed before says so in its list.
  const none = tracking.none;
  if (none && !tracking.umbrella) return { part: { memory: remember(tracking), entries }, needsRead: false };
  const read = snapshot.tracking;
  if (!read?.sdksRead) return { part: { memory: remember(tracking), entries }, needsRead: true };

  const sdks = sdksOf(sdkRules, read.sdkFile).filter((s) => s.tier !== null && sdkRules.tiers.includes(s.tier));
  // No SDK selected (the SDK page could not be read, or lists none of these tiers): nothing to file, no empty umbrella,
  // and what is tracked already stays as it was (a page that cannot be read this once forgets nothing).
  if (!sdks.length) {
    const note = ask ? [{ at, by: null, what: "no SDK to track: the rules' SDK list (sdks.file, sdks.list) names none of the tiers that get issues" }] : [];
    return { part: { memory: remember(tracking), entries: [...entries, ...note] }, needsRead: false };
  }
  const release = releaseOf(sdkRules, snapshot.pr.labels, read.milestone?.title ?? null);
  const ref: SepRef = { number, title: sep.title ?? snapshot.pr.url, url: snapshot.pr.url, release };
  const bot = (i: FoundIssue) => i.byBot;
  const effects: { issues: Effect[]; tracking: Effect[]; replies: Effect[] } = { issues: [], tracking: [], replies: [] };
  const reasons: string[] = [];

  // Each selected SDK: its issue (known, found, or to file), or why there is none.
  const lines: BlockLine[] = [];
  const tracked: TrackedSdk[] = [];
  for (const sdk of sdks) {
    const known = tracking.sdks.find((s) => same(s.repo, sdk.repo)) ?? null;
    const skipped = none ? { by: none.by, reason: none.reason } : (tracking.skip.find((s) => same(s.repo, sdk.repo)) ?? null);
    const inRepo = read.issues.filter((i) => same(i.repo, sdk.repo));
    // A person's issue is taken when its title names the SEP, or, while open, its text links it (a closed bug report
    // that mentions the SEP in passing is not its implementation).
    const naming = inRepo.filter((i) => namesSep(i.title, number) || (i.linksSep && i.state === "open"));
    const knownIssue = known?.number ? inRepo.find((i) => i.number === known.number) : undefined;
    // The known issue closed as a duplicate: the issue it duplicates (another naming the SEP) takes its place.
    const instead = knownIssue?.stateReason === "duplicate" ? pick(naming.filter((i) => i.number !== knownIssue.number && i.stateReason !== "duplicate"), bot) : null;
    const issue = instead ?? knownIssue ?? pick(naming, bot);
    const unreadable = read.unreadable.some((r) => same(r, sdk.repo));
    let entry: TrackedSdk;
    if (skipped) entry = { repo: sdk.repo, number: issue?.number ?? known?.number ?? null, adopted: issue ? !issue.byBot : (known?.adopted ?? false), state: "not-needed", at: null };
    // A repository that could not be read this time (made private, the App removed, SAML): what was known stays.
    else if (unreadable && known?.number) entry = known;
    else if (issue) entry = { repo: sdk.repo, number: issue.number, adopted: !issue.byBot, state: stateOf(issue), at: null };
    else if (input.noAccess.some((r) => same(r, sdk.repo))) entry = { repo: sdk.repo, number: null, adopted: false, state: "no-access", at };
    else if (known?.state === "no-access" && known.at && Date.parse(known.at) + sdkRules.retryNoAccessDays * 86_400_000 > now.getTime()) entry = known;
    else if (unreadable) entry = { repo: sdk.repo, number: null, adopted: false, state: "no-access", at };
    else {
      entry = { repo: sdk.repo, number: null, adopted: false, state: "not-filed", at: null };
      const [owner, name] = sdk.repo.split("/") as [string, string];
      const text = sdkIssueText(sdkRules.texts, ref);
      // GitHub refuses a label name over 50 characters (a release named by a custom pattern may be longer).
      const labels = [...sdkRules.labels.sdk, ...(release && sdkRules.release.labelSdkIssues ? [release.slice(0, 50)] : [])];
      effects.issues.push({ kind: "create-issue", repo: { owner, name }, title: text.title, body: text.body, labels, what: sdk.repo });
      reasons.push(`file the SEP's issue in ${sdk.repo}`);
    }
    if (entry.state === "no-access" && known?.state !== "no-access") entries.push({ at, by: null, what: `could not file the SEP's issue in ${sdk.repo}: sep-bot has no access there` });
    if (entry.adopted && !known?.adopted) entries.push({ at, by: null, what: `took ${sdk.repo}#${entry.number} as the SEP's issue there (filed by a person first)` });
    else if (entry.number && !entry.adopted && !known?.number) entries.push({ at, by: null, what: `filed ${sdk.repo}#${entry.number} for the SEP` });
    tracked.push(entry);
    lines.push({ sdk, tracked: entry, skipped: skipped ? { by: skipped.by, reason: skipped.reason } : null });
  }
  // An SDK no longer on the list (the page changed) keeps its line while it has an issue: what people did there is not
  // dropped. It is no longer required.
  for (const known of tracking.sdks) {
    if (!known.number || sdks.some((s) => same(s.repo, known.repo))) continue;
    const issue = read.issues.find((i) => same(i.repo, known.repo) && i.number === known.number);
    const entry: TrackedSdk = issue && known.state !== "not-needed" ? { ...known, state: stateOf(issue) } : known;
    tracked.push(entry);
    lines.push({ sdk: { repo: known.repo, name: known.repo.split("/")[1] ?? known.repo, tier: null }, tracked: entry, skipped: null });
  }

  // Every required SDK done (or needing nothing): the umbrella says so, the sponsor is told once.
  const required = lines.filter((l) => l.sdk.tier !== null && sdkRules.required.includes(l.sdk.tier)).map((l) => l.tracked);
  const allDone = !none && required.length > 0 && required.every((t) => t.state === "done" || t.state === "not-needed");
  let done = tracking.done;
  if (allDone && !done && !effects.issues.length) {
    done = at;
    const sponsor = input.sponsor;
    const body = `${sponsor ? `@${sponsor}, every` : "Every"} required SDK (Tier ${sdkRules.required.join(", ")}) has implemented SEP-${number}: ${required.map((t) => `${t.repo}${t.number ? `#${t.number}` : ""}`).join(", ")}.\n\n${pingMarker("sdks-done", 0, sponsor ? [sponsor] : [])}`;
    const tell = !snapshot.pings.some((p) => p.clock === "sdks-done");
    if (tell) effects.replies.push({ kind: "reply", body });
    entries.push({ at, by: null, what: `every required SDK has implemented the SEP${sponsor && tell ? ` (@${sponsor} told)` : ""}` });
  } else if (!allDone && done) done = null;

  // The umbrella: ours, or the one people filed first; filed once every SDK issue is (so its list is whole).
  const here = `${snapshot.repo.owner}/${snapshot.repo.name}`;
  const umbrellas = read.issues.filter((i) => same(i.repo, here) && isUmbrellaTitle(i.title, number, sdkRules.texts));
  // The remembered umbrella by its number alone (people retitle issues); else one found by its title.
  const umbrella = (tracking.umbrella ? read.issues.find((i) => same(i.repo, here) && i.number === tracking!.umbrella) : undefined) ?? pick(umbrellas, bot);
  const block = umbrellaBlock(number, snapshot.pr.number, release, lines, allDone ? { tiers: sdkRules.required } : null, "install sep-bot there, or give its workflow a token that can write there");
  const blockKey = createHash("sha1").update(block).digest("hex").slice(0, 12);
  // Where sep-bot may not open issues here (issues off, a workflow token without `issues: write`): said once, tried
  // again like an SDK repository, never a failed reconcile.
  let umbrellaNoAccess = tracking.umbrellaNoAccess ?? null;
  const refusedNow = input.noAccess.some((r) => same(r, here));
  const waiting = !!umbrellaNoAccess && Date.parse(umbrellaNoAccess) + sdkRules.retryNoAccessDays * 86_400_000 > now.getTime();
  // A list people edited (a box ticked by hand, the list deleted) is put back: the umbrella's text is read with it.
  const edited = !!umbrella && typeof umbrella.body === "string" && !umbrella.body.replace(/\r\n/g, "\n").includes(block);
  if (!umbrella && refusedNow) {
    if (!waiting) entries.push({ at, by: null, what: "could not file the umbrella issue here: sep-bot may not open issues in this repository" });
    umbrellaNoAccess = at;
  } else if (!umbrella && !effects.issues.length && !none && !waiting) {
    const text = umbrellaText(sdkRules.texts, ref, block);
    effects.issues.push({ kind: "create-issue", repo: { owner: snapshot.repo.owner, name: snapshot.repo.name }, title: text.title, body: text.body, labels: sdkRules.labels.umbrella, what: "the umbrella" });
    reasons.push("file the umbrella issue");
  } else if (umbrella && (tracking.umbrellaBlock !== blockKey || edited)) {
    effects.tracking.push({ kind: "issue-block", repo: { owner: snapshot.repo.owner, name: snapshot.repo.name }, number: umbrella.number, sep: number, block });
    reasons.push(`update the umbrella's list (#${umbrella.number})`);
  }
  if (umbrella && !tracking.umbrella) entries.push({ at, by: null, what: `${umbrella.byBot ? "filed" : "took"} #${umbrella.number} as the umbrella issue for the SDKs` });
  if (effects.issues.length) entries.push({ at, by: null, what: `filing ${effects.issues.map((e) => (e as { what: string }).what).join(", ")}` });

  const next: Tracking = { ...tracking, umbrella: umbrella?.number ?? null, sdks: tracked, release, done, umbrellaBlock: umbrella ? blockKey : null, umbrellaNoAccess: umbrella ? null : umbrellaNoAccess };
  // Filing now: what it files is recorded by the plan made after it (which finds the issues); nothing else changes yet.
  if (effects.issues.length) return { part: { effects: { issues: effects.issues }, reasons: { issues: reasons }, memory: remember(next), entries }, needsRead: false };
  return { part: { effects: { tracking: effects.tracking, replies: effects.replies }, reasons: { tracking: reasons }, memory: remember(next), entries }, needsRead: false };
}

/** Repositories are named case-insensitively on GitHub. */
const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

const who = (login: string | null) => (login ? `@${login}` : "sep-bot");

/** The issue to take among several naming the SEP: sep-bot's own first, then the oldest open, then the oldest. */
function pick(issues: readonly FoundIssue[], ours: (i: FoundIssue) => boolean): FoundIssue | null {
  const sorted = [...issues].sort((a, b) => a.number - b.number);
  return sorted.find(ours) ?? sorted.find((i) => i.state === "open") ?? sorted[0] ?? null;
}

function stateOf(issue: FoundIssue): TrackedSdk["state"] {
  if (issue.state === "open") return "open";
  return issue.stateReason === "not_planned" || issue.stateReason === "duplicate" ? "not-planned" : "done";
}

/** Whether a login is sep-bot's (GraphQL shows an app without `[bot]`). */
export function isBot(login: string | null | undefined, botLogin: string): boolean {
  return !!login && (sameLogin(login, botLogin) || sameLogin(`${login}[bot]`, botLogin));
}

export type { Sdk };
