import type { Rules } from "../../rules/schema.js";
import type { Person, Sep } from "../../sep/model.js";
import { loginKey, sameLogin } from "../../shared/logins.js";
import { enteredState, type ClockReport } from "../../governance/clocks/deadlines.js";
import { tally } from "../../governance/commands/votes.js";
import { wholeDays } from "../digest/render.js";
import type { People } from "../../governance/people/roles.js";
import { resolveSponsors } from "../../governance/people/sponsor-field.js";
import type { PersonComment } from "../../governance/model/snapshot.js";
import { hasLabel, isStateLabel, processState, statusForLabel, statusRule } from "../../governance/status/states.js";
import { sweepClocks, type SweepPull, type SweepRead } from "../sweep/due.js";
import { plainTitle } from "./title.js";
import type { SiteDeadline, SiteNext, SitePerson, SiteSep, SiteVotes } from "./model.js";

/**
 * The data side, for build.ts: each SEP's row of seps.json (`seps`), either
 * an open pull request's SEP as it stands (`livePull`) or a merged file no
 * pull request changes (`mergedFile`): its people, status, votes, deadlines
 * and next step, all read through one `Reading`. The page draws the rows in
 * table.ts (and render.ts's other sections); nothing here writes HTML.
 */

/**
 * What each SEP's entry is read with: the read and its rules at `now`, where
 * the repository is, and how people are named. Made once per build, so every
 * entry names a person and links a file the same way (`readingOf` in
 * build.ts makes it).
 */
export interface Reading {
  read: SweepRead;
  rules: Rules;
  now: Date;
  repoUrl: string;
  branch: string;
  /** The state of a SEP awaiting a sponsor, when the rules have one. */
  awaiting: string | null;
  /** A login as GitHub shows it (`loginCase`). */
  shown: (login: string) => string;
  /** The maintainers file's names, by lowercase login. */
  names: ReadonlyMap<string, string>;
  /** Who may sponsor (lowercase logins). */
  eligible: ReadonlySet<string>;
  directory: NonNullable<SweepRead["directory"]>;
}

export const REVIEW = "in-review";

/** The one order of text in the site's data: by code unit, whatever the locale. */
export const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** A login without its @ and surrounding blanks. */
export const bare = (login: string) => login.trim().replace(/^@+/, "");

function personOf(reading: Reading, p: Pick<Person, "name" | "handle">): SitePerson {
  const login = p.handle ? reading.shown(p.handle) : null;
  return { name: p.name ?? (login ? (reading.names.get(loginKey(login)) ?? null) : null), login };
}

/** The sponsors a file names, each a maintainer's login where the name, the handle or a near miss says who. */
function sponsorsNamed(reading: Reading, sponsors: ReadonlyArray<Pick<Person, "name" | "handle">>): SitePerson[] {
  const resolved = resolveSponsors(sponsors.map((s) => ({ ...s, email: null })), reading.eligible, reading.directory);
  return resolved.map((r) => personOf(reading, { name: r.person.name, handle: r.login ?? r.person.handle }));
}

/** An open pull request's SEP as it stands: the live state, over the merged file (`base`) it may change. */
export function livePull(reading: Reading, pull: SweepPull, number: number, base: Sep | null, comments: PersonComment[] | null): SiteSep {
  const { read, rules, now, repoUrl, branch, awaiting, shown, eligible } = reading;
  const memory = pull.memory?.sep ?? null;
  const file = pull.file ?? null;
  const checked = memory !== null && pull.checks !== null;
  const stateLabels = pull.labels.filter((l) => isStateLabel(rules, l));
  const labelled = stateLabels.length === 1 ? (statusForLabel(rules, stateLabels[0]!)?.id ?? null) : null;
  const status = labelled ?? (checked ? memory.state : null) ?? file?.state ?? memory?.state ?? (base ? processState(rules, base) : null);
  const entered = enteredState({ state: status, labelEvents: pull.labelEvents }, rules);
  const statusSince = entered === null ? pull.createdAt : new Date(entered).toISOString();
  const person = (p: Pick<Person, "name" | "handle">) => personOf(reading, p);
  const authors: SitePerson[] = file?.authors.length ? file.authors.map(person) : base?.authors.length ? base.authors.map(person) : [person({ name: null, handle: pull.author })];
  // Every sponsor the file names; the one sep-bot recognised first when the file does not name them (yet).
  const named = file ? sponsorsNamed(reading, file.sponsors) : base && !memory && !base.awaitingSponsor ? sponsorsNamed(reading, base.sponsors.filter((s) => s.handle || s.name)) : [];
  const recognised = memory?.sponsor ? person({ name: null, handle: memory.sponsor }) : null;
  const sponsors = recognised && !named.some((s) => s.login && sameLogin(s.login, recognised.login!)) ? [recognised, ...named] : named;
  // Who sponsors it for its clocks and its next step: sep-bot's, else the maintainers the file names, else (not
  // checked yet, awaiting one) the maintainers assigned, whom sep-bot's first check takes as its sponsor.
  let sponsorLogins = recognised ? [recognised.login!] : named.filter((s) => s.login && eligible.has(loginKey(s.login))).map((s) => s.login!);
  const assigned = pull.assignees.filter((a) => eligible.has(loginKey(a))).map(shown);
  if (!checked && sponsorLogins.length === 0 && status === awaiting && rules.sponsorship.byAssignment && assigned.length) {
    sponsorLogins = assigned;
    for (const login of assigned) if (!sponsors.some((s) => s.login && sameLogin(s.login, login))) sponsors.push(person({ name: null, handle: login }));
  }
  const paused = hasLabel(pull.labels, rules.clocks.pauseLabel);
  const report = sweepClocks(pull, read, rules, now);
  const checks = pull.checks === "success" || pull.checks === "failure" ? pull.checks : null;
  const authorLogins = uniqueLogins([pull.author, ...authors.flatMap((a) => (a.login ? [a.login] : []))].map(shown));
  const votes = votesOf(reading, status, memory?.votes ?? null, comments, authorLogins, sponsorLogins[0] ?? null);
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
    deadlines: report && !paused ? deadlinesOf(reading, report, pull, sponsorLogins[0] ?? null) : [],
    next: null,
  };
  sep.next = nextStep(reading, sep, checked ? memory : null, authorLogins, lastActivity, sponsorLogins, checked ? 0 : (file?.errors ?? 0));
  sep.finished = isFinished(rules, sep);
  return sep;
}

/** A SEP on the default branch that no open pull request changes: what its file says. */
export function mergedFile(reading: Reading, number: number, sep: Sep): SiteSep {
  const { rules, repoUrl, branch } = reading;
  const row: SiteSep = {
    number,
    title: plainTitle(sep.title ?? sep.fileName),
    status: processState(rules, sep),
    type: sep.type,
    authors: sep.authors.map((p) => personOf(reading, p)),
    sponsors: sep.awaitingSponsor ? [] : sponsorsNamed(reading, sep.sponsors.filter((s) => s.handle || s.name)),
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
  row.finished = isFinished(rules, row);
  return row;
}

/** In an end state with nothing left to do (a Final SEP still to merge is not finished). */
function isFinished(rules: Rules, s: SiteSep): boolean {
  const rule = statusRule(rules, s.status);
  return !!rule && (rule.frozen || rule.closesPullRequest) && s.next === null;
}

/** In review with its comments read: the tally the reconcile makes (who voted what, who has not). Otherwise the counts the bot remembers. */
function votesOf(reading: Reading, status: string | null, remembered: { yes: number; no: number; abstain: number } | null, comments: PersonComment[] | null, authorLogins: string[], sponsor: string | null): SiteVotes | null {
  const { shown } = reading;
  if (status === REVIEW && comments) {
    const t = tally(comments, peopleFor(reading.read, authorLogins, sponsor), reading.rules);
    return { yes: t.yes, no: t.no, abstain: t.abstain, cast: t.votes.map((v) => ({ login: shown(v.login), vote: v.choice })), notVoted: t.missing.map(shown) };
  }
  return remembered ? { ...remembered, cast: null, notVoted: null } : null;
}

function peopleFor(read: SweepRead, authorLogins: string[], sponsor: string | null): People {
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

function deadlinesOf(reading: Reading, report: ClockReport, pull: SweepPull, sponsor: string | null): SiteDeadline[] {
  const { read, rules, shown } = reading;
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
  reading: Reading,
  sep: SiteSep,
  memory: { referenceImplementation: boolean | null; conformance: boolean | null; final?: { summary: string; ready: boolean } | null } | null,
  authorLogins: string[],
  lastActivity: string | null,
  sponsor: string[],
  /** Errors the check will report, for a pull request sep-bot has not checked yet. */
  unchecked: number,
): SiteNext | null {
  const { rules, awaiting } = reading;
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

/** Whole days from `iso` to `now`; never negative (a clock a little ahead), null when unreadable. */
function daysSince(now: Date, iso: string): number | null {
  const days = wholeDays(now.getTime(), iso);
  return Number.isFinite(days) ? Math.max(0, days) : null;
}

/** Logins once each (GitHub's are case-insensitive), as first written. */
function uniqueLogins(logins: readonly string[]): string[] {
  return [...new Map(logins.map((l) => [loginKey(l), bare(l)])).values()];
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

/** The PR's URL when it is a plain https link to this repository's pull request; otherwise built from the repository. */
function pullUrl(url: string, repoUrl: string, number: number): string {
  return url === `${repoUrl}/pull/${number}` ? url : `${repoUrl}/pull/${number}`;
}

function blobUrl(repoUrl: string, ref: string, path: string): string {
  const enc = (s: string) => s.split("/").map(encodeURIComponent).join("/");
  return `${repoUrl}/blob/${enc(ref)}/${enc(path)}`;
}
