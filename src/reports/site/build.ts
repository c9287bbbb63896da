import type { Rules } from "../../rules/schema.js";
import { parseSep } from "../../sep/parse.js";
import type { Person, Sep } from "../../sep/model.js";
import { loginKey, sameLogin } from "../../shared/logins.js";
import { enteredState, type ClockReport } from "../../governance/clocks/deadlines.js";
import { tally } from "../../governance/commands/votes.js";
import { median, wholeDays } from "../digest/render.js";
import type { People } from "../../governance/people/roles.js";
import { resolveSponsors } from "../../governance/people/sponsor-field.js";
import type { PersonComment } from "../../governance/model/snapshot.js";
import { awaitingState, hasLabel, isStateLabel, processState, statusForLabel, statusRule } from "../../governance/status/states.js";
import { isSepPull, sweepClocks, type SweepPull, type SweepRead } from "../sweep/due.js";
import { plainTitle } from "./title.js";
import { siteReleases, type SiteReleases } from "./releases.js";
import {
  CHANGES_WINDOW_DAYS,
  DEADLINE_WINDOW_DAYS,
  MAX_CHANGES,
  NEED_ORDER,
  SITE_SCHEMA_URL,
  SITE_VERSION,
  type SiteChange,
  type SiteData,
  type SiteDeadline,
  type SiteItem,
  type SiteNeed,
  type SiteNext,
  type SitePerson,
  type SiteSep,
  type SiteVotes,
  type SiteWaiting,
} from "./model.js";

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
const bare = (login: string) => login.trim().replace(/^@+/, "");

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

export function siteData(source: SiteSource, now: Date): SiteData {
  const { read, rules } = source;
  const repoUrl = repositoryUrl(read);
  const branch = read.repo.defaultBranch;
  const awaiting = awaitingState(rules)?.id ?? null;
  const shown = loginCase(source);
  const directory = read.directory ?? [];
  const names = new Map(directory.filter((p) => p.name).map((p) => [loginKey(p.login), p.name!]));
  const eligible = new Set(membersOf(read, rolesThatMay(rules, "sponsor", "maintainer")));

  // The files on the default branch, by SEP number (the first path wins when two claim one).
  const merged = new Map<number, Sep>();
  for (const file of [...source.files].sort((a, b) => byText(a.path, b.path))) {
    if (file.text === null) continue;
    const sep = parseSep(file.text, file.path, { rules });
    const number = sep.number ?? sep.fileNumber;
    if (number !== null && !merged.has(number)) merged.set(number, sep);
  }

  // Each open SEP pull request, and the merged SEP it is the live state of: its own number, the merged
  // file it changes, or (a read without the file) the title sep-bot last read.
  const open = read.pulls.filter((p) => p.open && isSepPull(p, rules)).sort((a, b) => a.number - b.number);
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
  const ownNumber = new Map([...claimed.entries()].map(([n, pull]) => [pull.number, n]));

  const discussions = new Map(source.discussions.map((d) => [d.number, d.comments]));
  const voters = rolesThatMay(rules, "vote", "core-maintainer");
  const votingMembers = membersOf(read, voters).map(shown);

  const seps: SiteSep[] = [];
  for (const pull of open) {
    const number = ownNumber.get(pull.number) ?? pull.number;
    seps.push(livePull(pull, number, merged.get(number) ?? null, discussions.get(pull.number) ?? null));
  }
  for (const [number, sep] of merged) if (!claimed.has(number)) seps.push(mergedFile(number, sep));
  seps.sort((a, b) => a.number - b.number);
  // Implementation across the SDKs, as sep-bot last tracked it: each SEP's, each release's, each SDK maintainer's.
  const sdkWork = siteReleases(read, rules, seps, repoUrl, (pull) => ownNumber.get(pull.number) ?? pull.number, shown);
  for (const s of seps) s.implementation = sdkWork.implementations.get(s.number) ?? null;

  function personOf(p: Pick<Person, "name" | "handle">): SitePerson {
    const login = p.handle ? shown(p.handle) : null;
    return { name: p.name ?? (login ? (names.get(loginKey(login)) ?? null) : null), login };
  }

  /** The sponsors a file names, each a maintainer's login where the name, the handle or a near miss says who. */
  function sponsorsNamed(sponsors: ReadonlyArray<Pick<Person, "name" | "handle">>): SitePerson[] {
    const resolved = resolveSponsors(sponsors.map((s) => ({ ...s, email: null })), eligible, directory);
    return resolved.map((r) => personOf({ name: r.person.name, handle: r.login ?? r.person.handle }));
  }

  function livePull(pull: SweepPull, number: number, base: Sep | null, comments: PersonComment[] | null): SiteSep {
    const memory = pull.memory?.sep ?? null;
    const file = pull.file ?? null;
    const checked = memory !== null && pull.checks !== null;
    const stateLabels = pull.labels.filter((l) => isStateLabel(rules, l));
    const labelled = stateLabels.length === 1 ? (statusForLabel(rules, stateLabels[0]!)?.id ?? null) : null;
    const status = labelled ?? (checked ? memory.state : null) ?? file?.state ?? memory?.state ?? (base ? processState(rules, base) : null);
    const entered = enteredState({ state: status, labelEvents: pull.labelEvents }, rules);
    const statusSince = entered === null ? pull.createdAt : new Date(entered).toISOString();
    const authors: SitePerson[] = file?.authors.length ? file.authors.map(personOf) : base?.authors.length ? base.authors.map(personOf) : [personOf({ name: null, handle: pull.author })];
    // Every sponsor the file names; the one sep-bot recognised first when the file does not name them (yet).
    const named = file ? sponsorsNamed(file.sponsors) : base && !memory && !base.awaitingSponsor ? sponsorsNamed(base.sponsors.filter((s) => s.handle || s.name)) : [];
    const recognised = memory?.sponsor ? personOf({ name: null, handle: memory.sponsor }) : null;
    const sponsors = recognised && !named.some((s) => s.login && sameLogin(s.login, recognised.login!)) ? [recognised, ...named] : named;
    // Who sponsors it for its clocks and its next step: sep-bot's, else the maintainers the file names, else (not
    // checked yet, awaiting one) the maintainers assigned, whom sep-bot's first check takes as its sponsor.
    let sponsorLogins = recognised ? [recognised.login!] : named.filter((s) => s.login && eligible.has(loginKey(s.login))).map((s) => s.login!);
    const assigned = pull.assignees.filter((a) => eligible.has(loginKey(a))).map(shown);
    if (!checked && sponsorLogins.length === 0 && status === awaiting && rules.sponsorship.byAssignment && assigned.length) {
      sponsorLogins = assigned;
      for (const login of assigned) if (!sponsors.some((s) => s.login && sameLogin(s.login, login))) sponsors.push(personOf({ name: null, handle: login }));
    }
    const paused = hasLabel(pull.labels, rules.clocks.pauseLabel);
    const report = sweepClocks(pull, read, rules, now);
    const checks = pull.checks === "success" || pull.checks === "failure" ? pull.checks : null;
    const authorLogins = uniqueLogins([pull.author, ...authors.flatMap((a) => (a.login ? [a.login] : []))].map(shown));
    const votes = votesOf(status, memory?.votes ?? null, comments, authorLogins, sponsorLogins[0] ?? null);
    const lastActivity = lastHumanActivity(pull, read.botLogin);
    const path = base?.path ?? file?.path ?? null;
    const sep: SiteSep = {
      number,
      title: plainTitle(file?.title ?? memory?.title ?? base?.title ?? pull.title),
      status,
      type: file?.type ?? memory?.type ?? base?.type ?? null,
      authors,
      sponsors,
      created: file?.created ?? base?.created ?? pull.createdAt.slice(0, 10),
      lastActivity,
      statusSince,
      daysInStatus: daysSince(now, statusSince),
      pullRequest: { number: pull.number, url: pullUrl(pull.url, repoUrl, pull.number), open: true },
      file: base
        ? { path: base.path, url: blobUrl(repoUrl, branch, base.path), onDefaultBranch: true }
        : path && pull.head
          ? { path, url: blobUrl(repoUrl, pull.head, path), onDefaultBranch: false }
          : { path: null, url: `${pullUrl(pull.url, repoUrl, pull.number)}/files`, onDefaultBranch: false },
      page: base ? pageUrl(rules, base) : null,
      checked,
      fileStatus: file?.state ?? memory?.state ?? (base ? processState(rules, base) : null),
      finished: false,
      paused,
      roadToFinal: status !== null && rules.final.from.includes(status) && checked && memory?.final ? { summary: memory.final.summary, ready: memory.final.ready } : null,
      implementation: null,
      checks,
      votes,
      deadlines: report && !paused ? deadlinesOf(report, pull, sponsorLogins[0] ?? null) : [],
      next: null,
    };
    sep.next = nextStep(sep, checked ? memory : null, authorLogins, lastActivity, sponsorLogins, checked ? 0 : (file?.errors ?? 0));
    sep.finished = isFinished(sep);
    return sep;
  }

  function mergedFile(number: number, sep: Sep): SiteSep {
    const row: SiteSep = {
      number,
      title: plainTitle(sep.title ?? sep.fileName),
      status: processState(rules, sep),
      type: sep.type,
      authors: sep.authors.map(personOf),
      sponsors: sep.awaitingSponsor ? [] : sponsorsNamed(sep.sponsors.filter((s) => s.handle || s.name)),
      created: sep.created,
      lastActivity: null,
      statusSince: null,
      daysInStatus: null,
      pullRequest: sep.pr === null ? null : { number: sep.pr, url: `${repoUrl}/pull/${sep.pr}`, open: false },
      file: { path: sep.path, url: blobUrl(repoUrl, branch, sep.path), onDefaultBranch: true },
      page: pageUrl(rules, sep),
      checked: null,
      fileStatus: processState(rules, sep),
      finished: false,
      paused: false,
      roadToFinal: null,
      implementation: null,
      checks: null,
      votes: null,
      deadlines: [],
      next: null,
    };
    row.finished = isFinished(row);
    return row;
  }

  /** In an end state with nothing left to do (a Final SEP still to merge is not finished). */
  function isFinished(s: SiteSep): boolean {
    const rule = statusRule(rules, s.status);
    return !!rule && (rule.frozen || rule.closesPullRequest) && s.next === null;
  }

  /** In review with its comments read: the tally the reconcile makes (who voted what, who has not). Otherwise the counts the bot remembers. */
  function votesOf(status: string | null, remembered: { yes: number; no: number; abstain: number } | null, comments: PersonComment[] | null, authorLogins: string[], sponsor: string | null): SiteVotes | null {
    if (status === REVIEW && comments) {
      const t = tally(comments, peopleFor(authorLogins, sponsor), rules);
      return { yes: t.yes, no: t.no, abstain: t.abstain, cast: t.votes.map((v) => ({ login: shown(v.login), vote: v.choice })), notVoted: t.missing.map(shown) };
    }
    return remembered ? { ...remembered, cast: null, notVoted: null } : null;
  }

  function peopleFor(authorLogins: string[], sponsor: string | null): People {
    const authors = new Set(authorLogins.map(loginKey));
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
      return { date: d.date, kind, what: d.what, to: uniqueLogins(to.map(shown)) };
    });
  }

  /** Whose move it is, from the state, the votes, the check and the sponsors; null in an end state. */
  function nextStep(
    sep: SiteSep,
    memory: { referenceImplementation: boolean | null; conformance: boolean | null; final?: { summary: string; ready: boolean } | null } | null,
    authorLogins: string[],
    lastActivity: string | null,
    sponsor: string[],
    /** Errors the check will report, for a pull request sep-bot has not checked yet. */
    unchecked: number,
  ): SiteNext | null {
    const since = sep.statusSince;
    const end = statusRule(rules, sep.status);
    if (sep.status === null || (end && (end.frozen || end.closesPullRequest) && sep.status !== "final")) return null;
    if (sep.checks === "failure") return { whose: "author", logins: authorLogins, step: "Fix what the SEP checks report.", since: lastActivity ?? since };
    if (unchecked > 0) return { whose: "author", logins: authorLogins, step: `Fix ${unchecked === 1 ? "the error" : `the ${unchecked} errors`} the SEP checks will report in its file.`, since: lastActivity ?? since };
    switch (sep.status) {
      case awaiting:
        // The file names a maintainer (or one is assigned) who has not taken it up yet: it is theirs to take.
        return sponsor.length
          ? { whose: "sponsor", logins: sponsor, step: "Named or assigned as its sponsor: comment /sponsor to sponsor it.", since }
          : { whose: "maintainers", logins: [], step: "A maintainer to sponsor it (comment /sponsor).", since };
      case REVIEW: {
        const missing = sep.votes?.notVoted ?? null;
        return missing && missing.length
          ? { whose: "core-maintainers", logins: missing, step: "Vote (/vote yes, no or abstain); the core maintainers decide at their meeting.", since }
          : { whose: "core-maintainers", logins: [], step: "Decide at the core-maintainer meeting: /accept, /reject or /status draft.", since };
      }
      case "accepted": {
        // The road to Final as the status comment last read it; without it (an older record), what sep-bot knew then.
        const road = memory?.final;
        if (road && sponsor.length) {
          return road.ready
            ? { whose: "sponsor", logins: sponsor, step: "Comment /final: the road to Final is complete.", since }
            : { whose: "author", logins: authorLogins, step: `Complete the road to Final (${road.summary}); then the sponsor comments /final.`, since };
        }
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
  const deadlines = seps
    .flatMap((s) => s.deadlines.filter((d) => d.date <= horizon).map((d) => ({ ...d, sep: s.number })))
    .sort((a, b) => byText(a.date, b.date) || a.sep - b.sep || byText(a.kind, b.kind));
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
    deadlines,
    waitingOn: waitingOf(openSeps, deadlines, read, rules, votingMembers, shown, names, sdkWork),
    changes: changesOf(read, rules, now, ownNumber, shown),
    releases: sdkWork.releases,
  };
}

/** Whole days from `iso` to `now`; never negative (a clock a little ahead), null when unreadable. */
function daysSince(now: Date, iso: string): number | null {
  const days = wholeDays(now.getTime(), iso);
  return Number.isFinite(days) ? Math.max(0, days) : null;
}

/** Logins once each (GitHub's are case-insensitive), as first written. */
function uniqueLogins(logins: readonly string[]): string[] {
  return [...new Map(logins.map((l) => [loginKey(l), bare(l)])).values()];
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

/** The rendered page of a SEP file on the default branch, from the rules' template; null without one. */
function pageUrl(rules: Rules, sep: Sep): string | null {
  const template = rules.links.sepPage;
  if (!template) return null;
  const file = sep.fileName.replace(/\.md$/i, "");
  const number = sep.number ?? sep.fileNumber;
  if (/\{number\}/.test(template) && number === null) return null;
  if (/\{slug\}/.test(template) && sep.slug === null) return null;
  return template.replace(/\{(file|number|slug)\}/g, (_, key: string) => encodeURIComponent(key === "file" ? file : key === "number" ? String(number) : sep.slug!));
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

/**
 * Who each open SEP waits on, per person, most urgent first: a dated
 * warning or dormancy of the next 30 days that concerns them (they are told
 * of it, or the step on that SEP is theirs), soonest first; then a review vote not cast; then a SEP to
 * sponsor, or theirs as its sponsor; then an author's step; each longest
 * waiting first. Last, a tracked SEP an SDK they maintain has not implemented
 * (merged SEPs too), the soonest deadline first: the process waits on the
 * steps before it, nobody waits on an SDK's work.
 */
function waitingOf(
  openSeps: readonly SiteSep[],
  deadlines: ReadonlyArray<SiteDeadline & { sep: number }>,
  read: SweepRead,
  rules: Rules,
  votingMembers: readonly string[],
  shown: (login: string) => string,
  names: ReadonlyMap<string, string>,
  sdkWork: SiteReleases,
): SiteData["waitingOn"] {
  const item = (s: SiteSep): SiteItem => ({ sep: s.number, step: s.next!.step, since: s.next!.since });
  const oldestFirst = (a: SiteItem, b: SiteItem) => byText(a.since ?? "~", b.since ?? "~") || a.sep - b.sep;
  const rank = (n: SiteNeed) => NEED_ORDER.indexOf(n.kind);
  const urgentFirst = (a: SiteNeed, b: SiteNeed) => rank(a) - rank(b) || byText(a.due ?? "~", b.due ?? "~") || oldestFirst(a, b);
  const people = new Map<string, SiteWaiting>();
  const entry = (login: string): SiteWaiting => {
    const key = loginKey(login);
    let found = people.get(key);
    if (!found) {
      found = { login: shown(login), name: names.get(key) ?? null, roles: [], next: [], authored: [], sponsoring: [] };
      people.set(key, found);
    }
    return found;
  };
  const kindOf = (s: SiteSep): SiteNeed["kind"] => (s.next!.whose === "core-maintainers" ? "vote" : s.next!.whose === "sponsor" || s.next!.whose === "maintainers" ? "sponsor" : "author");
  for (const s of openSeps) {
    for (const login of s.next?.logins ?? []) entry(login).next.push({ ...item(s), kind: kindOf(s), due: null });
    // Its authors (by login): theirs, whoever's move it is; a name is learnt from the file that writes it.
    for (const a of s.authors) if (a.login) {
      const p = entry(a.login);
      p.authored.push(s.number);
      p.name ??= a.name;
    }
    for (const sp of s.sponsors) if (sp.login) {
      const p = entry(sp.login);
      p.sponsoring.push(s.number);
      p.name ??= sp.name;
    }
  }
  // A dated act coming (the warning with its date, the dormancy) makes a step urgent; one they are told of
  // without a step of theirs is theirs to know, worded by the act. A reminder is a nudge, not a deadline.
  const acts = new Map<number, Array<SiteDeadline & { sep: number }>>();
  for (const d of deadlines) if (d.kind !== "reminder") acts.set(d.sep, [...(acts.get(d.sep) ?? []), d]);
  for (const [number, dated] of acts) {
    const s = openSeps.find((x) => x.number === number);
    if (!s) continue;
    const due = dated[0]!.date;
    const act = dated.find((d) => d.kind === "dormancy") ?? dated.at(-1)!;
    const warned = dated.find((d) => d !== act);
    const step = `${act.what.charAt(0).toUpperCase()}${act.what.slice(1)}: ${act.date}${warned ? ` (${warned.what} on ${warned.date})` : ""}.`;
    const told = new Set(dated.flatMap((d) => d.to).map(loginKey));
    for (const key of new Set([...told, ...(s.next?.logins ?? []).map(loginKey)])) {
      const p = people.get(key) ?? entry(key);
      const mine = p.next.find((n) => n.sep === number);
      if (mine) Object.assign(mine, { kind: "deadline", due });
      else if (told.has(key)) p.next.push({ sep: number, step, since: s.statusSince, kind: "deadline", due });
    }
  }
  // After the dated acts: those mark a SEP's one process step, and an SDK's work is another item.
  for (const { login, need } of sdkWork.needs) entry(login).next.push(need);
  for (const login of votingMembers) entry(login);
  const roleNames = Object.keys(rules.roles);
  const list = [...people.entries()]
    .map(([key, p]) => {
      const roles = roleNames.filter((r) => (read.roles[r] ?? []).some((m) => loginKey(m) === key));
      if (p.sponsoring.length) roles.push("sponsor");
      if (p.authored.length) roles.push("author");
      if (sdkWork.maintainers.has(key)) roles.push("sdk-maintainer");
      return {
        ...p,
        roles,
        next: p.next.sort(urgentFirst),
        authored: [...new Set(p.authored)].sort((a, b) => a - b),
        sponsoring: [...new Set(p.sponsoring)].sort((a, b) => a - b),
      };
    })
    .sort((a, b) => byText(loginKey(a.login), loginKey(b.login)) || byText(a.login, b.login));
  const anyMaintainer = openSeps.filter((s) => s.next?.whose === "maintainers" && s.next.logins.length === 0).map(item).sort(oldestFirst);
  return { anyMaintainer, people: list };
}

/**
 * The feed's entries: each SEP pull request the read has (open, and those
 * closed in the last days) opened lately, and each time a state label
 * replaced another on it (the label is the approved status: a move to
 * accepted, final or dormant is there too), newest first.
 */
function changesOf(read: SweepRead, rules: Rules, now: Date, ownNumber: ReadonlyMap<number, number>, shown: (login: string) => string): SiteChange[] {
  const from = now.getTime() - CHANGES_WINDOW_DAYS * DAY;
  const within = (at: string) => {
    const t = Date.parse(at);
    return !Number.isNaN(t) && t >= from && t <= now.getTime();
  };
  const actor = (login: string | null) => (!login || sameLogin(login, read.botLogin) || /\[bot\]$/i.test(login) ? null : shown(login));
  const out: SiteChange[] = [];
  for (const pull of read.pulls.filter((p) => isSepPull(p, rules))) {
    const sep = ownNumber.get(pull.number) ?? pull.number;
    let current: string | null = null;
    let first: string | null = null;
    for (const event of pull.labelEvents) {
      if (!event.added || !isStateLabel(rules, event.label)) continue;
      const to = statusForLabel(rules, event.label)?.id ?? null;
      if (to === null || to === current) continue;
      if (current !== null && within(event.at)) out.push({ at: new Date(Date.parse(event.at)).toISOString(), sep, kind: "status", from: current, to, by: actor(event.actor), pullRequest: pull.number });
      first ??= to;
      current = to;
    }
    // A pull request that moves a merged SEP on (to Final) proposes nothing new.
    if (within(pull.createdAt) && !ownNumber.has(pull.number)) out.push({ at: new Date(Date.parse(pull.createdAt)).toISOString(), sep, kind: "proposed", from: null, to: first ?? pull.file?.state ?? pull.memory?.sep?.state ?? null, by: shown(pull.author), pullRequest: pull.number });
  }
  return out
    .sort((a, b) => byText(b.at, a.at) || b.sep - a.sep || byText(a.kind, b.kind) || byText(a.to ?? "", b.to ?? ""))
    .slice(0, MAX_CHANGES);
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

function blobUrl(repoUrl: string, ref: string, path: string): string {
  const enc = (s: string) => s.split("/").map(encodeURIComponent).join("/");
  return `${repoUrl}/blob/${enc(ref)}/${enc(path)}`;
}
