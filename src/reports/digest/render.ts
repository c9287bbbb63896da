import { markdownUrl, siteLink } from "../../shared/markdown.js";
import type { DigestInput, DigestRelease, DigestSep } from "./model.js";
import { loginKey } from "../../shared/logins.js";

/**
 * The weekly maintainer digest, as markdown for a GitHub issue: a pure
 * function of the input (no clock, no locale, no time zone), so the same
 * state always gives the same bytes and an unchanged digest is never
 * rewritten. Titles and logins come from untrusted files and PRs: they are
 * escaped so they cannot break a table, inject HTML, or notify anyone.
 */

const DAY = 86_400_000;
/** GitHub caps an issue body at 65,536 characters; stay well under it. */
export const MAX_DIGEST_CHARS = 60_000;
/** Rows per list, and characters per list: the rows together stay under the cap however long titles and URLs are. */
const MAX_ROWS = 50;
const LIST_BUDGET = 7_000;
const SMALL_BUDGET = 2_500;
const TITLE_MAX = 80;
const LOGIN_MAX = 40;
const STATE_MAX = 40;
const SPONSORS_SHOWN = 5;
/** "What changed": the week before `now`, (now - 7 days, now], so weekly runs neither miss nor repeat a change. */
const WINDOW_DAYS = 7;
/** States that wait on their sponsor (the sponsor leaderboard). */
const WAITING_ON_SPONSOR = ["draft", "in-review", "accepted"] as const;

// ---------------------------------------------------------------- time

/**
 * Milliseconds of an ISO time; NaN when unreadable. A date-time without a
 * zone is read as UTC: `Date.parse` would read it in the local zone, and the
 * digest must not depend on where it runs.
 */
function ms(iso: string): number {
  return Date.parse(/T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(iso) ? `${iso}Z` : iso);
}

/** Whole days from `t` to `now` (floor; negative when `t` is later). */
export function wholeDays(now: string | number, t: string | number): number {
  const a = typeof now === "number" ? now : ms(now);
  const b = typeof t === "number" ? t : ms(t);
  return Math.floor((a - b) / DAY);
}

function ymd(t: number): string {
  return Number.isNaN(t) ? "unknown" : new Date(t).toISOString().slice(0, 10);
}

/** ISO 8601 week of a time, in UTC: "2026-W49". The week belongs to the year of its Thursday. */
export function isoWeek(iso: string): string {
  const t = ms(iso);
  if (Number.isNaN(t)) throw new RangeError(`isoWeek: not an ISO time: ${JSON.stringify(iso)}`);
  const day = Math.floor(t / DAY); // days since 1970-01-01 (a Thursday), UTC
  const weekday = (((day + 3) % 7) + 7) % 7; // Monday 0 .. Sunday 6
  const thursday = day - weekday + 3;
  const year = new Date(thursday * DAY).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(year, 0, 1) / DAY) / 7) + 1;
  return `${String(year).padStart(4, "0")}-W${String(week).padStart(2, "0")}`;
}

/** Median of whole numbers; for an even count the mean of the two middle values, rounded down. Null when empty. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : Math.floor((sorted[mid - 1]! + sorted[mid]!) / 2);
}

// ---------------------------------------------------------------- escaping

/** At most `max` code points (never half a surrogate pair), with an ellipsis when cut. */
function cap(text: string, max: number): string {
  const points = [...text];
  return points.length <= max ? text : `${points.slice(0, max - 1).join("").trimEnd()}…`;
}

/**
 * Untrusted text made safe inside a table cell or list item: one line (no
 * control or bidi characters), capped, then escaped. `|` would end the cell,
 * `<`/`>` open HTML, backticks open code, `[`/`]` and `\` make links, `@`
 * pings: each is an entity or a backslash escape, and every `@` gets a
 * zero-width space after it so GitHub sees no mention.
 */
export function inline(text: string, max = TITLE_MAX): string {
  const line = text
    .replace(/[\s\u0085]+/g, " ")
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, "")
    .trim();
  return cap(line, max).replace(/[&|<>`\\[\]*_~@]/g, (c) => ESCAPES[c] ?? c);
}

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "|": "&#124;",
  "<": "&lt;",
  ">": "&gt;",
  "`": "&#96;",
  "\\": "\\\\",
  "[": "\\[",
  "]": "\\]",
  "*": "\\*",
  _: "\\_",
  "~": "\\~",
  "@": "@\u200b",
};

/** A login shown, never pinged: `@`, a zero-width space, the login. */
export function mention(login: string | null): string {
  if (login === null || login.trim() === "") return "—";
  return `@\u200b${inline(login.trim().replace(/^@+/, ""), LOGIN_MAX)}`;
}

/** A URL safe as a link destination: http(s) only, with every character that could end or break the link percent-encoded. */
function linkUrl(input: DigestInput, sep: DigestSep): string {
  const url = /^https?:\/\//i.test(sep.url)
    ? sep.url
    : `https://github.com/${encodeURIComponent(input.repo.owner)}/${encodeURIComponent(input.repo.name)}/pull/${sep.number}`;
  return markdownUrl(url);
}

/** Every SEP mention: its link, then its title. */
function sepRef(input: DigestInput, sep: DigestSep): string {
  const title = inline(sep.title);
  return `[SEP-${sep.number}](${linkUrl(input, sep)})${title ? ` ${title}` : ""}`;
}

/** A state's display name (the rules' when known, else its id), escaped for a cell. */
function stateName(input: DigestInput, id: string | null): string {
  if (id === null) return "Unknown";
  return inline(input.states.find((s) => s.id === id)?.display ?? id, STATE_MAX);
}

// ---------------------------------------------------------------- lists

/**
 * Rows up to MAX_ROWS and `budget` characters, and how many did not fit: a
 * digest of 2,000 SEPs with hostile titles still fits in one issue.
 */
function capped(rows: readonly string[], budget: number): { shown: string[]; more: string[] } {
  const shown: string[] = [];
  let used = 0;
  for (const row of rows) {
    if (shown.length === MAX_ROWS || used + row.length + 1 > budget) break;
    shown.push(row);
    used += row.length + 1;
  }
  const more = rows.length - shown.length;
  return { shown, more: more > 0 ? ["", `…and ${more} more.`] : [] };
}

const tableRow = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;

function table(head: readonly string[], align: readonly ("l" | "r")[], rows: readonly (readonly string[])[], budget = LIST_BUDGET): string[] {
  const { shown, more } = capped(rows.map(tableRow), budget);
  return [tableRow(head), tableRow(align.map((a) => (a === "r" ? "---:" : "---"))), ...shown, ...more];
}

/** A section: heading (with its count when it has rows), then "None." or the one-line advice and the rows. */
function section(heading: string, count: number | null, advice: string, body: readonly string[]): string[] {
  if (body.length === 0) return [`## ${heading}`, "", "None.", ""];
  return [`## ${heading}${count === null ? "" : ` (${count})`}`, "", advice, "", ...body, ""];
}

/** Ascending by a time (unreadable ones last), then by SEP number, so ties never depend on input order. */
function byTime<T>(time: (x: T) => number, number: (x: T) => number) {
  const key = (x: T) => {
    const t = time(x);
    return Number.isNaN(t) ? Infinity : t;
  };
  return (a: T, b: T) => key(a) - key(b) || number(a) - number(b);
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const daysCell = (n: number) => (Number.isNaN(n) ? "?" : String(n));

// ---------------------------------------------------------------- the digest

interface Change {
  sep: DigestSep;
  from: string | null;
  to: string;
  at: number;
  by: string | null;
  index: number;
}

const bySep = (s: DigestSep) => s.number;

/** What every section reads: the input, the day, the open SEPs. */
interface Week {
  input: DigestInput;
  now: number;
  /** The start of the day of `now`, in UTC. */
  today: number;
  open: DigestSep[];
  inState: (state: string) => DigestSep[];
  ref: (sep: DigestSep) => string;
}

/** A section's lines, and the counts the summary line says. */
interface Part {
  lines: string[];
}

export function renderDigest(input: DigestInput): string {
  const now = ms(input.now);
  const week = isoWeek(input.now); // throws on an unreadable `now`: no digest is better than a wrong one
  const today = Math.floor(now / DAY) * DAY;
  const open = input.seps.filter((s) => s.open);
  const w: Week = { input, now, today, open, inState: (state) => open.filter((s) => s.state === state), ref: (sep) => sepRef(input, sep) };

  const a = awaitingSection(w);
  const b = agendaSection(w);
  const c = acceptedSection(w);
  const sdks = input.releases ? implementationSection(input.releases, ymd(today)) : [];
  const d = changesSections(w);
  const e = problemsSection(w);
  const f = sponsorsSection(w);
  const g = statesSection(w);

  const summary =
    `${plural(open.length, "open SEP")}: ${a.awaiting} awaiting a sponsor, ` +
    `${b.inReview} in review (${b.long} over ${input.reviewDays} days), ` +
    `${c.unfinished} accepted and unfinished, ${e.troubled} with problems. ` +
    `Last ${WINDOW_DAYS} days: ${plural(d.moved, "status change")}, ${d.dormant} went dormant.` +
    (input.releases ? implementationSummary(input.releases, ymd(today)) : "");

  const site = input.siteUrl ? [`The whole pipeline, every SEP and what waits on whom: [the SEP site](${siteLink(input.siteUrl)}).`, ""] : [];
  return [`# SEP digest: ${week}`, "", summary, "", ...site, ...a.lines, ...b.lines, ...c.lines, ...sdks, ...d.lines, ...e.lines, ...f.lines, ...g.lines].join("\n");
}

/** Awaiting a sponsor, oldest first. */
function awaitingSection(w: Week): Part & { awaiting: number } {
  const { input, now, today, inState, ref } = w;
  const awaiting = inState("proposal").sort(byTime((s) => ms(s.createdAt), bySep));
  const dormancy = (s: DigestSep): string => {
    if (s.paused) return "paused";
    if (s.dormantOn === null) return "unknown";
    const on = ms(s.dormantOn);
    if (Number.isNaN(on)) return "unknown";
    const days = Math.floor((on - today) / DAY);
    return days < 0 ? `overdue (${ymd(on)})` : `${days} (${ymd(on)})`;
  };
  const lines = section(
    "Awaiting a sponsor",
    awaiting.length,
    `Maintainers: comment \`/sponsor\` on one you can champion. After ${input.dormantAfterDays} days without a sponsor a SEP goes dormant and its PR is closed.`,
    awaiting.length === 0
      ? []
      : table(
          ["SEP", "Author", "Age (days)", "Dormant in (days)"],
          ["l", "l", "r", "r"],
          awaiting.map((s) => [ref(s), mention(s.author), daysCell(wholeDays(now, s.createdAt)), dormancy(s)]),
        ),
  );
  return { lines, awaiting: awaiting.length };
}

/** The next core-maintainer meeting's agenda, longest in review first. */
function agendaSection(w: Week): Part & { inReview: number; long: number } {
  const { input, now, inState, ref } = w;
  const agenda = inState("in-review").sort(byTime((s) => ms(s.stateSince), bySep));
  const longInReview = agenda.filter((s) => wholeDays(now, s.stateSince) > input.reviewDays);
  const lines = section(
    "Agenda for the next core-maintainer meeting",
    agenda.length,
    `Core maintainers: decide each (\`/accept\`, \`/reject\`, or \`/status draft\`); ⚠️ marks more than ${input.reviewDays} days in review.`,
    agenda.length === 0
      ? []
      : table(
          ["SEP", "Sponsor", "In review (days)", "Votes (yes / no / abstain)"],
          ["l", "l", "r", "l"],
          agenda.map((s) => {
            const days = wholeDays(now, s.stateSince);
            const votes = s.votes === null ? "—" : `${s.votes.yes} / ${s.votes.no} / ${s.votes.abstain}`;
            return [ref(s), mention(s.sponsor), `${daysCell(days)}${days > input.reviewDays ? " ⚠️" : ""}`, votes];
          }),
        ),
  );
  return { lines, inReview: agenda.length, long: longInReview.length };
}

/** Accepted, on the road to Final: where each stands (the status comment's Road to Final, in one line). */
function acceptedSection(w: Week): Part & { unfinished: number } {
  const { now, inState, ref } = w;
  const missing = (s: DigestSep): string[] => [
    ...(s.referenceImplementation === false ? ["reference implementation"] : []),
    ...(s.type === "standards-track" && s.conformance === false ? ["conformance traceability"] : []),
  ];
  const road = (s: DigestSep) => s.final?.summary ?? (missing(s).length ? `${missing(s).join(", ")} missing` : "not checked yet");
  const accepted = inState("accepted").sort(byTime((s) => ms(s.stateSince), bySep));
  const ready = accepted.filter((s) => s.final?.ready);
  const lines = section(
    "Accepted, on the road to Final",
    accepted.length,
    `Authors: complete what is missing (each SEP's status comment lists it); sponsors: comment \`/final\` once it is done${ready.length ? ` (${ready.length} ${ready.length === 1 ? "is" : "are"} ready now)` : ""}.`,
    accepted.length === 0
      ? []
      : table(
          ["SEP", "Sponsor", "Accepted (days)", "Where it stands"],
          ["l", "l", "r", "l"],
          accepted.map((s) => [ref(s), mention(s.sponsor), daysCell(wholeDays(now, s.stateSince)), inline(road(s), 300)]),
        ),
  );
  return { lines, unfinished: accepted.length - ready.length };
}

/** What changed in the window, oldest first; dormancy on its own (it closes the PR). */
function changesSections(w: Week): Part & { moved: number; dormant: number } {
  const { input, now, ref } = w;
  const changes: Change[] = input.seps
    .flatMap((sep) =>
      sep.transitions.map((t, index) => ({ sep, from: index > 0 ? sep.transitions[index - 1]!.to : null, to: t.to, at: ms(t.at), by: t.by, index })),
    )
    .filter((ch) => ch.at > now - WINDOW_DAYS * DAY && ch.at <= now)
    .sort((x, y) => x.at - y.at || x.sep.number - y.sep.number || x.index - y.index);
  const moved = changes.filter((ch) => ch.to !== "dormant");
  const dormant = changes.filter((ch) => ch.to === "dormant");
  const fromName = (ch: Change) => (ch.from === null ? "unknown" : stateName(input, ch.from));
  const moves = section(
    `Status changes in the last ${WINDOW_DAYS} days`,
    moved.length,
    "For the record: check that each change was meant.",
    moved.length === 0
      ? []
      : table(
          ["SEP", "Change", "When", "By"],
          ["l", "l", "l", "l"],
          moved.map((ch) => [ref(ch.sep), `${fromName(ch)} → ${stateName(input, ch.to)}`, ymd(ch.at), ch.by === null ? "unknown" : mention(ch.by)]),
        ),
  );
  const prState = (s: DigestSep) => (s.open ? "open" : s.merged ? "merged" : s.closedAt === null ? "closed" : `closed ${ymd(ms(s.closedAt))}`);
  const dormancies = section(
    `Went dormant in the last ${WINDOW_DAYS} days`,
    dormant.length,
    "Dormant is not rejected: once someone sponsors it, `/revive` reopens it.",
    dormant.length === 0
      ? []
      : table(
          ["SEP", "From", "When", "PR"],
          ["l", "l", "l", "l"],
          dormant.map((ch) => [ref(ch.sep), fromName(ch), ymd(ch.at), prState(ch.sep)]),
        ),
  );
  return { lines: [...moves, ...dormancies], moved: moved.length, dormant: dormant.length };
}

/** Open SEPs with something wrong; the file is canonical, labels mirror it. */
function problemsSection(w: Week): Part & { troubled: number } {
  const { input, open, ref } = w;
  const problems = (s: DigestSep): string[] => [
    ...(s.checks === "failure" ? ["SEP checks fail"] : []),
    ...(s.fileState !== null && s.state !== null && s.fileState !== s.state
      ? [`file says ${stateName(input, s.fileState)}, labels say ${stateName(input, s.state)}`]
      : []),
    ...(s.stateLabel === null ? ["no state label"] : []),
  ];
  const troubled = open.filter((s) => problems(s).length > 0).sort((x, y) => x.number - y.number);
  const lines = section(
    "Problems",
    troubled.length,
    "Authors: fix what the checks report; sponsors: make the label match the file's Status (the file is canonical).",
    troubled.length === 0 ? [] : table(["SEP", "Problem"], ["l", "l"], troubled.map((s) => [ref(s), problems(s).join("; ")])),
  );
  return { lines, troubled: troubled.length };
}

/** Sponsors with the most SEPs waiting on them. Logins are case-insensitive on GitHub. */
function sponsorsSection(w: Week): Part {
  const { input, open } = w;
  const load = new Map<string, { login: string; counts: number[] }>();
  for (const s of [...open].sort((x, y) => x.number - y.number)) {
    const i = (WAITING_ON_SPONSOR as readonly (string | null)[]).indexOf(s.state);
    if (s.sponsor === null || s.sponsor.trim() === "" || i < 0) continue;
    const key = loginKey(s.sponsor);
    const entry = load.get(key) ?? { login: s.sponsor, counts: WAITING_ON_SPONSOR.map(() => 0) };
    entry.counts[i]! += 1;
    load.set(key, entry);
  }
  const total = (counts: readonly number[]) => counts.reduce((x, y) => x + y, 0);
  const sponsors = [...load.entries()]
    .sort(([ka, va], [kb, vb]) => total(vb.counts) - total(va.counts) || (ka < kb ? -1 : ka > kb ? 1 : 0))
    .slice(0, SPONSORS_SHOWN)
    .map(([, v]) => v);
  const lines = section(
    "Sponsors with the most waiting SEPs",
    null,
    `Open SEPs in ${WAITING_ON_SPONSOR.map((id) => stateName(input, id)).join(", ")} per sponsor (top ${SPONSORS_SHOWN}): a long list may need a co-sponsor.`,
    sponsors.length === 0
      ? []
      : table(
          ["Sponsor", ...WAITING_ON_SPONSOR.map((id) => stateName(input, id)), "Total"],
          ["l", ...WAITING_ON_SPONSOR.map(() => "r" as const), "r"],
          sponsors.map((v) => [mention(v.login), ...v.counts.map(String), String(total(v.counts))]),
          SMALL_BUDGET,
        ),
  );
  return { lines };
}

/** Counts per state: the rules' states in their order, then any other id, then unknown. */
function statesSection(w: Week): Part {
  const { input, now, open } = w;
  const known = input.states.map((s) => s.id);
  const others = [...new Set(input.seps.map((s) => s.state).filter((id): id is string => id !== null && !known.includes(id)))].sort();
  const stateRows = [...known, ...others, null]
    .map((id) => {
      const here = input.seps.filter((s) => s.state === id);
      const openHere = here.filter((s) => s.open);
      const days = openHere.map((s) => wholeDays(now, s.stateSince)).filter((n) => !Number.isNaN(n));
      return { id, open: openHere.length, closed: here.length - openHere.length, median: median(days) };
    })
    .filter((r) => r.open + r.closed > 0);
  const stateTable = capped(
    stateRows.map((r) => tableRow([stateName(input, r.id), String(r.open), r.median === null ? "—" : String(r.median), String(r.closed)])),
    SMALL_BUDGET,
  );
  // The chart shows the states the table shows. Mermaid reads the label between quotes: keep letters, digits and plain punctuation.
  const pieLabel = (id: string | null) =>
    (id === null ? "Unknown" : cap(input.states.find((s) => s.id === id)?.display ?? id, STATE_MAX)).replace(/[^\p{L}\p{N} .\-_/()]/gu, "") || "?";
  const pie = stateRows
    .slice(0, stateTable.shown.length)
    .filter((r) => r.open > 0)
    .map((r) => `    "${pieLabel(r.id)}" : ${r.open}`);
  const lines = section(
    "SEPs by state",
    null,
    "Open SEPs per state with the median days they have been in it, and PRs closed recently (those the sweep still reads).",
    stateRows.length === 0
      ? []
      : [
          "| State | Open | Median days (open) | Closed recently |",
          "| --- | ---: | ---: | ---: |",
          ...stateTable.shown,
          tableRow(["**Total**", String(open.length), "", String(input.seps.length - open.length)]),
          ...stateTable.more,
          ...(pie.length === 0 ? [] : ["", "```mermaid", "pie showData", "    title Open SEPs by state", ...pie, "```"]),
        ],
  );
  return { lines };
}

/** A tier's deadline passed while an SDK of that tier still owes the release some of its SEPs. */
function late(r: DigestRelease, d: DigestRelease["deadlines"][number], today: string): boolean {
  return d.date < today && r.owed.some((o) => o.tier === d.tier);
}

/** The summary's words on the SDKs: how many still owe work, and how many releases are past a deadline. */
function implementationSummary(releases: readonly DigestRelease[], today: string): string {
  const owing = new Set(releases.flatMap((r) => r.owed.map((o) => o.name)));
  if (owing.size === 0) return "";
  const pastDue = releases.filter((r) => r.deadlines.some((d) => late(r, d, today))).length;
  return ` Across the SDKs: ${plural(owing.size, "SDK")} still owe${owing.size === 1 ? "s" : ""} SEPs${pastDue ? `, ${plural(pastDue, "release")} past a tier's deadline` : ""}.`;
}

/**
 * One row per release whose SEPs some SDK has not implemented yet (the newest
 * first, no release last): its dates, each tier's deadline (⚠️ once it has
 * passed with an SDK of that tier still owing), and per SDK how many SEPs.
 */
function implementationSection(releases: readonly DigestRelease[], today: string): string[] {
  const owing = releases.filter((r) => r.owed.length > 0);
  const day = (d: string | null) => (d === null ? "—" : inline(d, 10));
  return section(
    "Implementation across the SDKs",
    null,
    "SDK maintainers: the SEPs each SDK has not implemented yet (its issue open, not filed, or sep-bot without access there), per release; each SEP's umbrella issue lists its SDK issues. ⚠️ marks a tier's deadline passed with SEPs still owed.",
    owing.length === 0
      ? []
      : table(
          ["Release", "SEPs", "Candidate", "Release day", "Deadlines", "Still owed (SEPs per SDK)"],
          ["l", "r", "l", "l", "l", "l"],
          owing.map((r) => {
            const deadlines = r.deadlines.map((d) => `Tier ${d.tier}: ${day(d.date)}${late(r, d, today) ? " ⚠️" : ""}`).join(", ") || "—";
            const owed = r.owed.map((o) => `${inline(o.name, 40)}: ${o.seps}`).join(", ");
            return [r.version === null ? "no release yet" : inline(r.version, 60), String(r.seps), day(r.candidate), day(r.release), deadlines, owed];
          }),
          SMALL_BUDGET,
        ),
  );
}
