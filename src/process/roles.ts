import type { Rules } from "../rules/schema.js";
import type { Sep } from "../sep/model.js";
import { parseMaintainersFile } from "./maintainers.js";
import type { Snapshot } from "./snapshot.js";

/**
 * Who holds which role on one pull request. The rules' roles (maintainer,
 * core-maintainer...) come from the base branch's maintainers file and from
 * teams, read by the snapshot; three roles come from the pull request:
 *
 * - `author`: the SEP's Author(s) on the base branch (when the file is there),
 *   and whoever opened the PR. A name the PR itself adds grants nothing, but it
 *   does count where being an author *excludes* (`notBy: [author]`): nobody
 *   sponsors or accepts a SEP they wrote.
 * - `sponsor`: named as Sponsor in the file and assigned to the PR (assigning
 *   needs triage rights, so the author cannot make themselves sponsor), and
 *   never an author; or named so on the default branch already.
 *
 * A SEP whose file names a sponsor who is none of these is still awaiting one.
 * - `anyone`.
 */

export interface People {
  /** Lowercase logins per rules role, `includes` resolved. */
  roles: Readonly<Record<string, ReadonlySet<string>>>;
  /** Authors that grant the author role (base branch, PR author). */
  authors: ReadonlySet<string>;
  /** Everyone named as an author anywhere, the head included: they are excluded by `notBy: [author]`. */
  namedAuthors: ReadonlySet<string>;
  sponsors: ReadonlySet<string>;
}

const lower = (login: string) => login.replace(/^@/, "").replace(/\[bot\]$/i, "").toLowerCase();

/** Members of each role from the maintainers file's sections, teams and users; `includes` resolved. */
export function roleMembers(rules: Pick<Rules, "roles">, file: string | null, teams: Readonly<Record<string, readonly string[]>>): Record<string, string[]> {
  const direct = new Map<string, Set<string>>();
  for (const [name, role] of Object.entries(rules.roles)) {
    const members = new Set<string>();
    if (file !== null && role.sections.length) for (const login of parseMaintainersFile(file, role.sections)) members.add(lower(login));
    for (const team of role.teams) for (const login of teams[team.toLowerCase()] ?? teams[team] ?? []) members.add(lower(login));
    for (const user of role.users) members.add(lower(user));
    direct.set(name, members);
  }
  const resolved: Record<string, string[]> = {};
  for (const name of Object.keys(rules.roles)) {
    const all = new Set<string>();
    const seen = new Set<string>();
    const visit = (role: string) => {
      if (seen.has(role)) return; // a cycle in `includes` adds nothing twice
      seen.add(role);
      for (const login of direct.get(role) ?? []) all.add(login);
      for (const included of rules.roles[role]?.includes ?? []) visit(included);
    };
    visit(name);
    resolved[name] = [...all].sort();
  }
  return resolved;
}

export function peopleOf(snapshot: Snapshot, sep: Sep | null, base: Sep | null): People {
  const roles: Record<string, Set<string>> = {};
  for (const [name, logins] of Object.entries(snapshot.roles)) roles[name] = new Set(logins.map(lower));
  const authors = new Set<string>([lower(snapshot.pr.author)]);
  for (const person of base?.authors ?? []) if (person.handle) authors.add(lower(person.handle));
  const namedAuthors = new Set(authors);
  for (const person of sep?.authors ?? []) if (person.handle) namedAuthors.add(lower(person.handle));
  // Assigned now, or about to be in this reconcile (after its commit).
  const assigned = new Set([...snapshot.pr.assignees, ...(snapshot.pendingAssignees ?? [])].map(lower));
  // On the default branch the Sponsor field went through review: it stands while the PR keeps it.
  const trusted = new Set((base?.sponsors ?? []).flatMap((p) => (p.handle ? [lower(p.handle)] : [])));
  const sponsors = new Set<string>();
  for (const person of sep?.sponsors ?? []) {
    const login = person.handle ? lower(person.handle) : null;
    if (login && (trusted.has(login) || (assigned.has(login) && !namedAuthors.has(login)))) sponsors.add(login);
  }
  return { roles, authors, namedAuthors, sponsors };
}

export function holds(login: string, role: string, people: People): boolean {
  const who = lower(login);
  if (role === "anyone") return true;
  if (role === "author") return people.authors.has(who);
  if (role === "sponsor") return people.sponsors.has(who);
  return people.roles[role]?.has(who) ?? false;
}

/** Holds one of `who` and none of `notBy` (for `author` in `notBy`: named as an author anywhere). */
export function allowed(login: string, who: readonly string[], notBy: readonly string[], people: People): boolean {
  const excluded = notBy.some((role) => (role === "author" ? people.namedAuthors.has(lower(login)) : holds(login, role, people)));
  return !excluded && who.some((role) => holds(login, role, people));
}

/** "the sponsor or a maintainer", for messages. */
export function describeRoles(roles: readonly string[], rules: Pick<Rules, "roles">): string {
  const words = roles.map((role) =>
    role === "author" ? "an author" : role === "sponsor" ? "the sponsor" : role === "anyone" ? "anyone" : (rules.roles[role]?.description ?? role),
  );
  return words.length <= 1 ? (words[0] ?? "nobody") : `${words.slice(0, -1).join(", ")} or ${words.at(-1)}`;
}

/** Who may move a SEP into `statusId`, per the rules. */
export function statusSetters(rules: Pick<Rules, "statuses" | "statusChange">, statusId: string | null): { who: string[]; notBy: string[] } {
  const status = rules.statuses.find((s) => s.id === statusId);
  return { who: status?.setBy ?? rules.statusChange.by, notBy: status?.notBy ?? [] };
}

/** May `login` move the SEP into `statusId` (by label, push or command)? */
export function maySetStatus(login: string, statusId: string | null, people: People, rules: Pick<Rules, "statuses" | "statusChange">): boolean {
  const { who, notBy } = statusSetters(rules, statusId);
  return allowed(login, who, notBy, people);
}

/** May `login` sponsor this SEP (the rules' `does: sponsor` command, by default a maintainer who is no author)? */
export function maySponsor(login: string, people: People, rules: Pick<Rules, "commands">): boolean {
  const command = Object.values(rules.commands).find((c) => c.does === "sponsor");
  return allowed(login, command?.who ?? ["maintainer"], command?.notBy ?? ["author"], people);
}
