import type { Rules } from "../../rules/schema.js";
import { loginKey } from "../../shared/logins.js";
import type { SweepRead } from "../sweep/due.js";
import { byText } from "./build-rows.js";
import type { SiteReleases } from "./releases.js";
import { NEED_ORDER, type SiteData, type SiteDeadline, type SiteItem, type SiteNeed, type SiteSep, type SiteWaiting } from "./model.js";

/**
 * The data side, for build.ts: seps.json's `waitingOn`, who each open SEP
 * waits on, per person (what waits on them, what they wrote or sponsor).
 * people.ts draws it on the page.
 */

/**
 * Who each open SEP waits on, per person, most urgent first: a dated
 * warning or dormancy of the next 30 days that concerns them (they are told
 * of it, or the step on that SEP is theirs), soonest first; then a review vote not cast; then a SEP to
 * sponsor, or theirs as its sponsor; then an author's step; each longest
 * waiting first. Last, a tracked SEP an SDK they maintain has not implemented
 * (merged SEPs too), the soonest deadline first: the process waits on the
 * steps before it, nobody waits on an SDK's work.
 */
export function waitingOf(
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
