import type { Rules } from "../../rules/schema.js";
import { parseSep } from "../../sep/parse.js";
import type { Sep } from "../../sep/model.js";
import { loginKey } from "../../shared/logins.js";
import type { PersonComment } from "../../governance/model/snapshot.js";
import { awaitingState, isStateLabel, statusForLabel } from "../../governance/status/states.js";
import { isSepPull, type SweepPull, type SweepRead } from "../sweep/due.js";
import { siteReleases } from "./releases.js";
import { bare, byText, livePull, mergedFile, REVIEW, type Reading } from "./build-rows.js";
import { waitingOf } from "./build-waiting.js";
import { changesOf, pipelineOf } from "./build-pipeline.js";
import { DEADLINE_WINDOW_DAYS, SITE_SCHEMA_URL, SITE_VERSION, type SiteData, type SiteSep } from "./model.js";

/**
 * The site's data from what the sweep reads (every open SEP pull request:
 * labels, timeline, activity, the bot's memory of the SEP, the check, and
 * its SEP file at the head) plus the SEP files on the default branch and the
 * comments of the SEPs in review (the votes). Pure: the same input and `now`
 * give the same document.
 *
 * - A pull request is the live state of its SEP: a SEP with a file on the
 *   default branch and an open pull request appears once, as the pull request
 *   says. The pull request is that SEP's when its number is the SEP's, or,
 *   for a pull request that changes a merged SEP (moving it to Final), when
 *   its SEP file is that SEP's file (or, without the file, its title is).
 * - A row's title, type, authors and sponsors are what the file says from
 *   the first minute; its status is the state label's (what the sponsor or a
 *   maintainer approved), else sep-bot's reading once it has checked the pull
 *   request, else the file's. A pull request sep-bot has not checked yet is
 *   marked so (`checked: false`); its clocks are run as its first reconcile
 *   will run them.
 * - Closed pull requests are left out of the rows: the sweep reads only those
 *   closed in the last days, and an index that drops them a week later would
 *   flicker. A merged SEP is there through its file; their last changes are
 *   in the feed.
 * - Logins are shown as GitHub shows them (the case of a pull request's
 *   author, an assignee, a commenter or the maintainers file), however a SEP
 *   file writes them.
 *
 * The data side's orchestration: the source, the `Reading` each row is read
 * with, which pull request is which SEP, and the lists made from the rows.
 * Each SEP's row is build-rows.ts's, who waits on whom build-waiting.ts's,
 * the pipeline and the changes build-pipeline.ts's; the page (render.ts and
 * its sections) draws what `siteData` returns.
 */

export interface SiteFile {
  /** A SEP file's path on the default branch (`seps/1850-pr-based-sep-workflow.md`). */
  path: string;
  /** Its text (GitHub cuts it at 512,000 bytes: the preamble is all that is read); null when binary or unreadable. */
  text: string | null;
}

export interface SiteSource {
  read: SweepRead;
  rules: Rules;
  /** The SEP files on the default branch (README and TEMPLATE excluded). */
  files: SiteFile[];
  /** Comments by people on pull requests in review, by PR number: the votes are read from them, as the reconcile does. */
  discussions: Array<{ number: number; comments: PersonComment[] }>;
}

const DAY = 86_400_000;

const ymd = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The members of the roles that may use the command that `does` this (vote: core maintainers; sponsor: maintainers). */
function rolesThatMay(rules: Rules, does: string, fallback: string): string[] {
  const command = Object.values(rules.commands).find((c) => c.does === does);
  return command ? command.who.filter((r) => r !== "anyone" && r !== "author" && r !== "sponsor") : [fallback];
}

function membersOf(read: SweepRead, roles: readonly string[]): string[] {
  return [...new Set(roles.flatMap((r) => read.roles[r] ?? []).map(loginKey))].sort(byText);
}

/**
 * Logins as GitHub shows them: GitHub's own answers first (authors,
 * assignees, actors, commenters), then the maintainers file, then however
 * else they were written. Role members are read lowercase; a SEP file may
 * write `@CaitieM20` as `@caitiem20`.
 */
function loginCase(source: SiteSource): (login: string) => string {
  const shown = new Map<string, string>();
  const see = (login: string | null | undefined) => {
    if (!login || /\[bot\]$/i.test(login)) return;
    const key = loginKey(login);
    if (!shown.has(key)) shown.set(key, bare(login));
  };
  for (const pull of source.read.pulls) {
    see(pull.author);
    pull.assignees.forEach(see);
    for (const a of pull.activity) see(a.actor), see(a.subject);
    for (const e of pull.labelEvents) see(e.actor);
  }
  for (const d of source.discussions) for (const c of d.comments) see(c.author);
  for (const p of source.read.directory ?? []) see(p.login);
  return (login) => shown.get(loginKey(login)) ?? bare(login);
}

function readingOf(source: SiteSource, now: Date): Reading {
  const { read, rules } = source;
  const directory = read.directory ?? [];
  return {
    read,
    rules,
    now,
    repoUrl: repositoryUrl(read),
    branch: read.repo.defaultBranch,
    awaiting: awaitingState(rules)?.id ?? null,
    shown: loginCase(source),
    names: new Map(directory.filter((p) => p.name).map((p) => [loginKey(p.login), p.name!])),
    eligible: new Set(membersOf(read, rolesThatMay(rules, "sponsor", "maintainer"))),
    directory,
  };
}

export function siteData(source: SiteSource, now: Date): SiteData {
  const { read, rules } = source;
  const reading = readingOf(source, now);
  const { repoUrl, branch, awaiting, shown } = reading;
  const merged = mergedFiles(source.files, rules);
  const open = read.pulls.filter((p) => p.open && isSepPull(p, rules)).sort((a, b) => a.number - b.number);
  const claimed = claimsOf(open, merged);
  const ownNumber = new Map([...claimed.entries()].map(([n, pull]) => [pull.number, n]));
  const seps = sepsOf(reading, open, merged, claimed, ownNumber, source.discussions);
  // Implementation across the SDKs, as sep-bot last tracked it: each SEP's, each release's, each SDK maintainer's.
  const sdkWork = siteReleases(read, rules, seps, repoUrl, (pull) => ownNumber.get(pull.number) ?? pull.number, shown);
  for (const s of seps) s.implementation = sdkWork.implementations.get(s.number) ?? null;
  const votingMembers = membersOf(read, rolesThatMay(rules, "vote", "core-maintainer")).map(shown);
  const openSeps = seps.filter((s) => s.pullRequest?.open);
  const deadlines = deadlinesAhead(seps, now);
  return {
    schema: SITE_SCHEMA_URL,
    version: SITE_VERSION,
    generatedAt: now.toISOString(),
    repository: { owner: read.repo.owner, name: read.repo.name, url: repoUrl, defaultBranch: branch },
    statuses: rules.statuses.map((s) => ({ id: s.id, name: s.id === awaiting ? "Awaiting a sponsor" : s.display })),
    types: rules.types.map((t) => ({ id: t.id, name: t.display })),
    seps,
    pipeline: pipelineOf(seps, rules.statuses.map((s) => s.id)),
    agenda: agendaOf(openSeps),
    deadlines,
    waitingOn: waitingOf(openSeps, deadlines, read, rules, votingMembers, shown, reading.names, sdkWork),
    changes: changesOf(read, rules, now, ownNumber, shown),
    releases: sdkWork.releases,
  };
}

/** The files on the default branch, by SEP number (the first path wins when two claim one). */
function mergedFiles(files: readonly SiteFile[], rules: Rules): Map<number, Sep> {
  const merged = new Map<number, Sep>();
  for (const file of [...files].sort((a, b) => byText(a.path, b.path))) {
    if (file.text === null) continue;
    const sep = parseSep(file.text, file.path, { rules });
    const number = sep.number ?? sep.fileNumber;
    if (number !== null && !merged.has(number)) merged.set(number, sep);
  }
  return merged;
}

/**
 * The merged SEP each open SEP pull request is the live state of, by SEP
 * number: its own number, the merged file it changes, or (a read without the
 * file) the title sep-bot last read.
 */
function claimsOf(open: readonly SweepPull[], merged: ReadonlyMap<number, Sep>): Map<number, SweepPull> {
  const claimed = new Map<number, SweepPull>();
  for (const pull of open) if (merged.has(pull.number)) claimed.set(pull.number, pull);
  const byPath = new Map([...merged.entries()].map(([n, sep]) => [sep.path.toLowerCase(), n]));
  for (const pull of open) {
    const n = pull.file ? byPath.get(pull.file.path.toLowerCase()) : undefined;
    if (n !== undefined && !merged.has(pull.number) && !claimed.has(n)) claimed.set(n, pull);
  }
  const titleKey = (t: string | null | undefined) => (t ?? "").trim().replace(/\s+/g, " ").toLowerCase();
  for (const pull of open) {
    if (merged.has(pull.number) || pull.file || !pull.memory?.sep?.title || [...claimed.values()].includes(pull)) continue;
    const key = titleKey(pull.memory.sep.title);
    const matches = [...merged.entries()].filter(([n, sep]) => !claimed.has(n) && titleKey(sep.title) === key);
    if (matches.length === 1) claimed.set(matches[0]![0], pull);
  }
  return claimed;
}

/** Every SEP's entry, by number: each open pull request as its SEP's live state, then each merged file no pull request claims. */
function sepsOf(
  reading: Reading,
  open: readonly SweepPull[],
  merged: ReadonlyMap<number, Sep>,
  claimed: ReadonlyMap<number, SweepPull>,
  ownNumber: ReadonlyMap<number, number>,
  discussions: SiteSource["discussions"],
): SiteSep[] {
  const comments = new Map(discussions.map((d) => [d.number, d.comments]));
  const seps: SiteSep[] = [];
  for (const pull of open) {
    const number = ownNumber.get(pull.number) ?? pull.number;
    seps.push(livePull(reading, pull, number, merged.get(number) ?? null, comments.get(pull.number) ?? null));
  }
  for (const [number, sep] of merged) if (!claimed.has(number)) seps.push(mergedFile(reading, number, sep));
  return seps.sort((a, b) => a.number - b.number);
}

/** The deadlines of the next days, soonest first. */
function deadlinesAhead(seps: readonly SiteSep[], now: Date): SiteData["deadlines"] {
  const horizon = ymd(now.getTime() + DEADLINE_WINDOW_DAYS * DAY);
  return seps
    .flatMap((s) => s.deadlines.filter((d) => d.date <= horizon).map((d) => ({ ...d, sep: s.number })))
    .sort((a, b) => byText(a.date, b.date) || a.sep - b.sep || byText(a.kind, b.kind));
}

/** The SEPs in review, longest first: the next core-maintainer meeting's agenda. */
function agendaOf(openSeps: readonly SiteSep[]): number[] {
  return openSeps
    .filter((s) => s.status === REVIEW)
    .sort((a, b) => byText(a.statusSince ?? "", b.statusSince ?? "") || a.number - b.number)
    .map((s) => s.number);
}

/**
 * Where an open pull request's SEP is: what its one state label says (the
 * status the sponsor or a maintainer approved), else what the bot last read
 * in its file, else what its file says at the head; null when none is known.
 */
export function pullStatus(pull: SweepPull, rules: Rules): string | null {
  const stateLabels = pull.labels.filter((l) => isStateLabel(rules, l));
  const labelled = stateLabels.length === 1 ? (statusForLabel(rules, stateLabels[0]!)?.id ?? null) : null;
  return labelled ?? pull.memory?.sep?.state ?? pull.file?.state ?? null;
}

/** Open SEP pull requests in review: whose comments the site reads for the votes. */
export function pullsInReview(read: SweepRead, rules: Rules): number[] {
  return read.pulls.filter((p) => p.open && isSepPull(p, rules) && pullStatus(p, rules) === REVIEW).map((p) => p.number);
}

/** The repository's web address, as GitHub gives it in pull request URLs (GitHub Enterprise too); github.com otherwise. */
function repositoryUrl(read: SweepRead): string {
  const base = `/${read.repo.owner}/${read.repo.name}`.toLowerCase();
  for (const pull of read.pulls) {
    const m = /^(https:\/\/[A-Za-z0-9.-]+(?::\d+)?\/[A-Za-z0-9-]+\/[A-Za-z0-9._-]+)\/pull\/\d+$/.exec(pull.url);
    if (m && m[1]!.toLowerCase().endsWith(base)) return m[1]!;
  }
  return `https://github.com/${encodeURIComponent(read.repo.owner)}/${encodeURIComponent(read.repo.name)}`;
}
