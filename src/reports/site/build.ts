import type { Rules } from "../../rules/schema.js";
import { parseSep } from "../../sep/parse.js";
import type { Sep } from "../../sep/model.js";
import { loginKey, sameLogin } from "../../shared/logins.js";
import { enteredState, type ClockReport } from "../../governance/clocks/deadlines.js";
import { tally } from "../../governance/commands/votes.js";
import { median, wholeDays } from "../digest/render.js";
import type { People } from "../../governance/people/roles.js";
import type { PersonComment } from "../../governance/model/snapshot.js";
import { awaitingState, hasLabel, isStateLabel, processState, statusForLabel, statusRule } from "../../governance/status/states.js";
import { isSepPull, sweepClocks, type SweepPull, type SweepRead } from "../sweep/due.js";
import {
  DEADLINE_WINDOW_DAYS,
  SITE_SCHEMA_URL,
  SITE_VERSION,
  type SiteData,
  type SiteDeadline,
  type SiteItem,
  type SiteNext,
  type SitePerson,
  type SiteSep,
  type SiteVotes,
  type SiteWaiting,
} from "./model.js";

/**
 * The site's data from what the sweep reads (every open SEP pull request:
 * labels, timeline, activity, the bot's memory of the SEP, the check) plus the
 * SEP files on the default branch and the comments of the SEPs in review (the
 * votes). Pure: the same input and `now` give the same document.
 *
 * - A pull request is the live state of its SEP: a SEP with a file on the
 *   default branch and an open pull request appears once, as the pull request
 *   says. The pull request is that SEP's when its number is the SEP's, or,
 *   for a pull request that changes a merged SEP (moving it to Final), when
 *   the title the bot read from its file is that SEP's title.
 * - Closed pull requests are left out: the sweep reads only those closed in
 *   the last days, and an index that drops them a week later would flicker.
 *   A merged SEP is there through its file.
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
const REVIEW = "in-review";

const ymd = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The members of the roles that may use the command that `does` this (vote: core maintainers; sponsor: maintainers). */
function rolesThatMay(rules: Rules, does: string, fallback: string): string[] {
  const command = Object.values(rules.commands).find((c) => c.does === does);
  return command ? command.who.filter((r) => r !== "anyone" && r !== "author" && r !== "sponsor") : [fallback];
}

function membersOf(read: SweepRead, roles: readonly string[]): string[] {
  return [...new Set(roles.flatMap((r) => read.roles[r] ?? []).map(loginKey))].sort(byText);
}

export function siteData(source: SiteSource, now: Date): SiteData {
  const { read, rules } = source;
  const repoUrl = repositoryUrl(read);
  const branch = read.repo.defaultBranch;
  const awaiting = awaitingState(rules)?.id ?? null;

  // The files on the default branch, by SEP number (the first path wins when two claim one).
  const merged = new Map<number, Sep>();
  for (const file of [...source.files].sort((a, b) => byText(a.path, b.path))) {
    if (file.text === null) continue;
    const sep = parseSep(file.text, file.path, { rules });
    const number = sep.number ?? sep.fileNumber;
    if (number !== null && !merged.has(number)) merged.set(number, sep);
  }

  // Each open SEP pull request, and the merged SEP it is the live state of.
  const open = read.pulls.filter((p) => p.open && isSepPull(p, rules)).sort((a, b) => a.number - b.number);
  const claimed = new Map<number, SweepPull>();
  for (const pull of open) if (merged.has(pull.number)) claimed.set(pull.number, pull);
  const titleKey = (t: string | null | undefined) => (t ?? "").trim().replace(/\s+/g, " ").toLowerCase();
  for (const pull of open) {
    if (merged.has(pull.number) || !pull.memory?.sep?.title) continue;
    const key = titleKey(pull.memory.sep.title);
    const matches = [...merged.entries()].filter(([n, sep]) => !claimed.has(n) && titleKey(sep.title) === key);
    if (matches.length === 1) claimed.set(matches[0]![0], pull);
  }
  const ownNumber = new Map([...claimed.entries()].map(([n, pull]) => [pull.number, n]));

  const discussions = new Map(source.discussions.map((d) => [d.number, d.comments]));
  const voters = rolesThatMay(rules, "vote", "core-maintainer");
  const votingMembers = membersOf(read, voters);

  const seps: SiteSep[] = [];
  for (const pull of open) {
    const number = ownNumber.get(pull.number) ?? pull.number;
    seps.push(livePull(pull, number, merged.get(number) ?? null, discussions.get(pull.number) ?? null));
  }
  for (const [number, sep] of merged) if (!claimed.has(number)) seps.push(mergedFile(number, sep));
  seps.sort((a, b) => a.number - b.number);

  function livePull(pull: SweepPull, number: number, base: Sep | null, comments: PersonComment[] | null): SiteSep {
    const memory = pull.memory?.sep ?? null;
    const status = pullStatus(pull, rules) ?? (base ? processState(rules, base) : null);
    const entered = enteredState({ state: status, labelEvents: pull.labelEvents }, rules);
    const statusSince = entered === null ? pull.createdAt : new Date(entered).toISOString();
    const authors: SitePerson[] = base?.authors.length ? base.authors.map(person) : [{ name: null, login: pull.author }];
    const sponsorLogin = memory ? memory.sponsor : null;
    const sponsor: SitePerson | null = sponsorLogin ? { name: null, login: sponsorLogin } : !memory && base ? sponsorOf(base) : null;
    const paused = hasLabel(pull.labels, rules.clocks.pauseLabel);
    const report = sweepClocks(pull, read, rules, now);
    const checks = pull.checks === "success" || pull.checks === "failure" ? pull.checks : null;
    const authorLogins = uniqueLogins([pull.author, ...authors.flatMap((a) => (a.login ? [a.login] : []))]);
    const votes = votesOf(status, memory?.votes ?? null, comments, authorLogins, sponsorLogin);
    const lastActivity = lastHumanActivity(pull, read.botLogin);
    const sep: SiteSep = {
      number,
      title: memory?.title ?? base?.title ?? pull.title,
      status,
      type: memory?.type ?? base?.type ?? null,
      authors,
      sponsor,
      created: base?.created ?? pull.createdAt.slice(0, 10),
      lastActivity,
      statusSince,
      daysInStatus: daysSince(now, statusSince),
      pullRequest: { number: pull.number, url: pullUrl(pull.url, repoUrl, pull.number), open: true },
      file: base
        ? { path: base.path, url: blobUrl(repoUrl, branch, base.path), onDefaultBranch: true }
        : { path: null, url: `${pullUrl(pull.url, repoUrl, pull.number)}/files`, onDefaultBranch: false },
      paused,
      checks,
      votes,
      deadlines: report && !paused ? deadlinesOf(report, pull, sponsorLogin) : [],
      next: null,
    };
    sep.next = nextStep(sep, memory, authorLogins, lastActivity);
    return sep;
  }

  function mergedFile(number: number, sep: Sep): SiteSep {
    return {
      number,
      title: sep.title ?? sep.fileName,
      status: processState(rules, sep),
      type: sep.type,
      authors: sep.authors.map(person),
      sponsor: sponsorOf(sep),
      created: sep.created,
      lastActivity: null,
      statusSince: null,
      daysInStatus: null,
      pullRequest: sep.pr === null ? null : { number: sep.pr, url: `${repoUrl}/pull/${sep.pr}`, open: false },
      file: { path: sep.path, url: blobUrl(repoUrl, branch, sep.path), onDefaultBranch: true },
      paused: false,
      checks: null,
      votes: null,
      deadlines: [],
      next: null,
    };
  }

  function sponsorOf(sep: Sep): SitePerson | null {
    if (sep.awaitingSponsor) return null;
    const first = sep.sponsors.find((s) => s.handle || s.name);
    return first ? person(first) : null;
  }

  /** In review with its comments read: the tally the reconcile makes (who voted what, who has not). Otherwise the counts the bot remembers. */
  function votesOf(status: string | null, remembered: { yes: number; no: number; abstain: number } | null, comments: PersonComment[] | null, authorLogins: string[], sponsor: string | null): SiteVotes | null {
    if (status === REVIEW && comments) {
      const t = tally(comments, peopleFor(authorLogins, sponsor), rules);
      return { yes: t.yes, no: t.no, abstain: t.abstain, cast: t.votes.map((v) => ({ login: v.login, vote: v.choice })), notVoted: t.missing };
    }
    return remembered ? { ...remembered, cast: null, notVoted: null } : null;
  }

  function peopleFor(authorLogins: string[], sponsor: string | null): People {
    const authors = new Set(authorLogins);
    return {
      roles: Object.fromEntries(Object.entries(read.roles).map(([role, members]) => [role, new Set(members.map(loginKey))])),
      authors,
      namedAuthors: authors,
      sponsors: new Set(sponsor ? [loginKey(sponsor)] : []),
      sponsor: null,
      named: [],
      known: new Set(),
    };
  }

  function deadlinesOf(report: ClockReport, pull: SweepPull, sponsor: string | null): SiteDeadline[] {
    const holders = new Set(Object.values(read.roles).flat().map(loginKey));
    return report.deadlines.map((d): SiteDeadline => {
      const steps = rules.clocks.list.find((c) => c.id === d.clock)?.steps ?? [];
      const step = steps[d.step];
      const kind: SiteDeadline["kind"] = step?.action ? "dormancy" : steps[d.step + 1]?.action ? "warning" : "reminder";
      const to = (step?.notify ?? []).flatMap((who) =>
        who === "author" ? [pull.author] : who === "sponsor" ? (sponsor ? [sponsor] : []) : pull.assignees.filter((a) => holders.has(loginKey(a))),
      );
      return { date: d.date, kind, what: d.what, to: uniqueLogins(to) };
    });
  }

  /** Whose move it is, from the state, the votes and the check; null in an end state. */
  function nextStep(sep: SiteSep, memory: { referenceImplementation: boolean | null; conformance: boolean | null } | null, authorLogins: string[], lastActivity: string | null): SiteNext | null {
    const since = sep.statusSince;
    const end = statusRule(rules, sep.status);
    if (sep.status === null || (end && (end.frozen || end.closesPullRequest) && sep.status !== "final")) return null;
    if (sep.checks === "failure") return { whose: "author", logins: authorLogins, step: "Fix what the SEP checks report.", since: lastActivity ?? since };
    const sponsor = sep.sponsor?.login ? [sep.sponsor.login] : [];
    switch (sep.status) {
      case awaiting:
        return { whose: "maintainers", logins: [], step: "A maintainer to sponsor it (comment /sponsor).", since };
      case REVIEW: {
        const missing = sep.votes?.notVoted ?? null;
        return missing && missing.length
          ? { whose: "core-maintainers", logins: missing, step: "Vote (/vote yes, no or abstain); the core maintainers decide at their meeting.", since }
          : { whose: "core-maintainers", logins: [], step: "Decide at the core-maintainer meeting: /accept, /reject or /status draft.", since };
      }
      case "accepted": {
        const unfinished = memory?.referenceImplementation !== true || (sep.type === "standards-track" && memory?.conformance === false);
        if (unfinished || sponsor.length === 0) {
          const what = sep.type === "standards-track" ? "the reference implementation and the conformance scenario" : "the reference implementation";
          return { whose: "author", logins: authorLogins, step: `Complete ${what}; then the sponsor comments /final.`, since };
        }
        return { whose: "sponsor", logins: sponsor, step: "Comment /final: the reference implementation is complete.", since };
      }
      case "final":
        return { whose: "maintainers", logins: [], step: "Merge the pull request: the SEP is Final.", since };
      default:
        // Draft and any other working state: the sponsor reviews it with the author and moves it on.
        return sponsor.length
          ? { whose: "sponsor", logins: sponsor, step: "Review it with the author; /review when it is ready for the core maintainers.", since }
          : { whose: "maintainers", logins: [], step: "A maintainer to sponsor it (comment /sponsor).", since };
    }
  }

  const openSeps = seps.filter((s) => s.pullRequest?.open);
  const horizon = ymd(now.getTime() + DEADLINE_WINDOW_DAYS * DAY);
  return {
    schema: SITE_SCHEMA_URL,
    version: SITE_VERSION,
    generatedAt: now.toISOString(),
    repository: { owner: read.repo.owner, name: read.repo.name, url: repoUrl, defaultBranch: branch },
    statuses: rules.statuses.map((s) => ({ id: s.id, name: s.id === awaiting ? "Awaiting a sponsor" : s.display })),
    types: rules.types.map((t) => ({ id: t.id, name: t.display })),
    seps,
    pipeline: pipelineOf(seps, rules.statuses.map((s) => s.id)),
    agenda: openSeps
      .filter((s) => s.status === REVIEW)
      .sort((a, b) => byText(a.statusSince ?? "", b.statusSince ?? "") || a.number - b.number)
      .map((s) => s.number),
    deadlines: seps
      .flatMap((s) => s.deadlines.filter((d) => d.date <= horizon).map((d) => ({ ...d, sep: s.number })))
      .sort((a, b) => byText(a.date, b.date) || a.sep - b.sep || byText(a.kind, b.kind)),
    waitingOn: waitingOf(openSeps, read, rules, votingMembers),
  };
}

/** Whole days from `iso` to `now`; never negative (a clock a little ahead), null when unreadable. */
function daysSince(now: Date, iso: string): number | null {
  const days = wholeDays(now.getTime(), iso);
  return Number.isFinite(days) ? Math.max(0, days) : null;
}

/** Logins once each (GitHub's are case-insensitive), as first written. */
function uniqueLogins(logins: readonly string[]): string[] {
  return [...new Map(logins.map((l) => [loginKey(l), l.trim().replace(/^@+/, "")])).values()];
}

/**
 * Where an open pull request's SEP is: what its one state label says (the
 * status the sponsor or a maintainer approved), else what the bot last read
 * in its file; null when neither is known.
 */
export function pullStatus(pull: SweepPull, rules: Rules): string | null {
  const stateLabels = pull.labels.filter((l) => isStateLabel(rules, l));
  const labelled = stateLabels.length === 1 ? (statusForLabel(rules, stateLabels[0]!)?.id ?? null) : null;
  return labelled ?? pull.memory?.sep?.state ?? null;
}

/** Open SEP pull requests in review: whose comments the site reads for the votes. */
export function pullsInReview(read: SweepRead, rules: Rules): number[] {
  return read.pulls.filter((p) => p.open && isSepPull(p, rules) && pullStatus(p, rules) === REVIEW).map((p) => p.number);
}

function person(p: { name: string | null; handle: string | null }): SitePerson {
  return { name: p.name, login: p.handle };
}

/** The last thing a person did on the pull request: comments, reviews, pushes, label changes; never the bot's. */
function lastHumanActivity(pull: SweepPull, bot: string): string | null {
  const human = (actor: string | null) => !!actor && !sameLogin(actor, bot) && !/\[bot\]$/i.test(actor);
  const times = [...pull.activity, ...pull.labelEvents].filter((a) => human(a.actor)).map((a) => Date.parse(a.at)).filter((t) => !Number.isNaN(t));
  return times.length ? new Date(Math.max(...times)).toISOString() : null;
}

function pipelineOf(seps: readonly SiteSep[], known: readonly string[]): SiteData["pipeline"] {
  const others = [...new Set(seps.map((s) => s.status).filter((id): id is string => id !== null && !known.includes(id)))].sort(byText);
  return [...known, ...others, null]
    .map((status) => {
      const here = seps.filter((s) => s.status === status);
      const live = here.filter((s) => s.pullRequest?.open);
      const days = live.map((s) => s.daysInStatus).filter((d): d is number => d !== null).sort((a, b) => a - b);
      return { status, count: here.length, open: live.length, merged: here.length - live.length, days, median: median(days) };
    })
    // The rules' states always (the pipeline's shape), others only when some SEP is in them.
    .filter((row) => (row.status !== null && known.includes(row.status)) || row.count > 0);
}

function waitingOf(openSeps: readonly SiteSep[], read: SweepRead, rules: Rules, votingMembers: readonly string[]): SiteData["waitingOn"] {
  const item = (s: SiteSep): SiteItem => ({ sep: s.number, step: s.next!.step, since: s.next!.since });
  const oldestFirst = (a: SiteItem, b: SiteItem) => byText(a.since ?? "~", b.since ?? "~") || a.sep - b.sep;
  const people = new Map<string, SiteWaiting>();
  const entry = (login: string): SiteWaiting => {
    const key = loginKey(login);
    let found = people.get(key);
    if (!found) {
      found = { login: login.trim().replace(/^@+/, ""), roles: [], next: [], authored: [], sponsoring: [] };
      people.set(key, found);
    }
    return found;
  };
  for (const s of openSeps) {
    for (const login of s.next?.logins ?? []) entry(login).next.push(item(s));
    // Its authors (by login): theirs, whoever's move it is.
    for (const a of s.authors) if (a.login) entry(a.login).authored.push(s.number);
    if (s.sponsor?.login) entry(s.sponsor.login).sponsoring.push(s.number);
  }
  for (const login of votingMembers) entry(login);
  const roleNames = Object.keys(rules.roles);
  const list = [...people.entries()]
    .map(([key, p]) => {
      const roles = roleNames.filter((r) => (read.roles[r] ?? []).some((m) => loginKey(m) === key));
      if (p.sponsoring.length) roles.push("sponsor");
      if (p.authored.length) roles.push("author");
      return {
        ...p,
        roles,
        next: p.next.sort(oldestFirst),
        authored: [...new Set(p.authored)].sort((a, b) => a - b),
        sponsoring: [...new Set(p.sponsoring)].sort((a, b) => a - b),
      };
    })
    .sort((a, b) => byText(loginKey(a.login), loginKey(b.login)) || byText(a.login, b.login));
  const anyMaintainer = openSeps.filter((s) => s.next?.whose === "maintainers" && s.next.logins.length === 0).map(item).sort(oldestFirst);
  return { anyMaintainer, people: list };
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

/** The PR's URL when it is a plain https link to this repository's pull request; otherwise built from the repository. */
function pullUrl(url: string, repoUrl: string, number: number): string {
  return url === `${repoUrl}/pull/${number}` ? url : `${repoUrl}/pull/${number}`;
}

function blobUrl(repoUrl: string, branch: string, path: string): string {
  const enc = (s: string) => s.split("/").map(encodeURIComponent).join("/");
  return `${repoUrl}/blob/${enc(branch)}/${enc(path)}`;
}
