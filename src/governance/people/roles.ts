import { RELATION_ROLES, type Rules } from "../../rules/schema.js";
import type { Sep } from "../../sep/model.js";
import { parseMaintainersFile } from "./maintainers.js";
import type { Snapshot } from "../model/snapshot.js";
import { resolveSponsors, type NamedSponsor } from "./sponsor-field.js";
import { loginKey } from "../../shared/logins.js";

/**
 * Who holds which role on one pull request. The rules' roles (maintainer,
 * core-maintainer...) come from the base branch's maintainers file and from
 * teams, read by the snapshot; three roles come from the pull request:
 *
 * - `author`: the SEP's Author(s) on the base branch (when the file is there),
 *   and whoever opened the PR. A name the PR itself adds grants nothing, but it
 *   does count where being an author *excludes* (`notBy: [author]`: by default
 *   nobody accepts a SEP they wrote; a process may also forbid sponsoring one).
 * - `sponsor`: a maintainer the Sponsor field names (by handle, by name, or
 *   by a near miss of their handle: sponsor.ts) whom the repository has also
 *   assigned to the PR (assigning needs triage rights, so an author cannot make
 *   themselves sponsor), and who may sponsor (the `sponsor` command's `who`
 *   and `notBy`: by default a maintainer, co-author or not; the PR's author
 *   who is no maintainer never); or named so on the default branch already;
 *   or taken as found at first contact (`found`: named, with the state label
 *   of the file's status from before sep-bot; see plan.ts).
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
  /** Lowercase logins of the sponsors: named in the file (resolved, see sponsor.ts) and assigned, or named on the default branch. */
  sponsors: ReadonlySet<string>;
  /** The sponsor, as the maintainers file writes their login and name; null while the SEP awaits one. */
  sponsor: { login: string; name: string | null } | null;
  /** Everyone the Sponsor field names, and the maintainer each means (for findings and the status comment). */
  named: NamedSponsor[];
  /** Lowercase logins seen taking part (author, assignees, commenters, actors, role holders): the only ones @mentioned. */
  known: ReadonlySet<string>;
}


/** Members of each role from the maintainers file's sections, teams and users; `includes` resolved. */
export function roleMembers(rules: Pick<Rules, "roles">, file: string | null, teams: Readonly<Record<string, readonly string[]>>): Record<string, string[]> {
  const direct = new Map<string, Set<string>>();
  for (const [name, role] of Object.entries(rules.roles)) {
    const members = new Set<string>();
    if (file !== null && role.sections.length) for (const login of parseMaintainersFile(file, role.sections)) members.add(loginKey(login));
    for (const team of role.teams) for (const login of teams[team.toLowerCase()] ?? teams[team] ?? []) members.add(loginKey(login));
    for (const user of role.users) members.add(loginKey(user));
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

/** `found`: the sponsor sep-bot took as found at first contact (state.ts `foundSponsor`): theirs while the field names them. */
export function peopleOf(snapshot: Snapshot, sep: Sep | null, base: Sep | null, rules: Pick<Rules, "commands">, found: string | null = null, pendingAssignees: readonly string[] = []): People {
  const roles: Record<string, Set<string>> = {};
  for (const [name, logins] of Object.entries(snapshot.roles)) roles[name] = new Set(logins.map(loginKey));
  const authors = new Set<string>([loginKey(snapshot.pr.author)]);
  for (const person of base?.authors ?? []) if (person.handle) authors.add(loginKey(person.handle));
  const namedAuthors = new Set(authors);
  for (const person of sep?.authors ?? []) if (person.handle) namedAuthors.add(loginKey(person.handle));
  const partial: People = { roles, authors, namedAuthors, sponsors: new Set(), sponsor: null, named: [], known: new Set() };

  // Who the Sponsor field means (a handle, a name, a near miss), among those who may sponsor.
  const eligible = new Set(sponsorRoles(rules).flatMap((role) => [...(roles[role] ?? [])]));
  const directory = snapshot.directory ?? [];
  const named = resolveSponsors(sep?.sponsors ?? [], eligible, directory);
  // On the default branch the Sponsor field went through review: it stands while the PR keeps it.
  const trusted = new Set(resolveSponsors(base?.sponsors ?? [], eligible, directory).flatMap((n) => (n.login ? [loginKey(n.login)] : [])));
  // Assigned now, or about to be in this reconcile (after its commit).
  const assigned = new Set([...snapshot.pr.assignees, ...pendingAssignees].map(loginKey));
  const sponsors = new Set<string>();
  let sponsor: People["sponsor"] = null;
  for (const n of named) {
    const login = n.login ? loginKey(n.login) : null;
    if (!login || !(trusted.has(login) || ((assigned.has(login) || login === loginKey(found ?? "")) && maySponsor(login, partial, rules)))) continue;
    sponsors.add(login);
    sponsor ??= { login: n.login!, name: directory.find((p) => loginKey(p.login) === login)?.name ?? n.person.name };
  }

  // People seen taking part: the only handles the bot may @mention.
  const pr = snapshot.pr;
  const known = new Set<string>([
    pr.author,
    ...assigned,
    ...snapshot.discussion.map((c) => c.author),
    ...pr.labelEvents.flatMap((e) => (e.actor ? [e.actor] : [])),
    ...pr.activity.flatMap((a) => (a.actor ? [a.actor] : [])),
    ...Object.values(snapshot.roles).flat(),
  ].map(loginKey));
  return { roles, authors, namedAuthors, sponsors, sponsor, named, known };
}

/** The rules roles (not author, sponsor or anyone) whose members may sponsor: the `sponsor` command's `who`. */
function sponsorRoles(rules: Pick<Rules, "commands">): string[] {
  const command = Object.values(rules.commands).find((c) => c.does === "sponsor");
  return (command?.who ?? ["maintainer"]).filter((role) => !(RELATION_ROLES as readonly string[]).includes(role));
}

/** `@login` for someone seen taking part, else the login without the @ (never a mention of someone who is not there). */
export function mention(login: string, people: Pick<People, "known">): string {
  const bare = login.replace(/^@/, "").replace(/\[bot\]$/i, "");
  return people.known.has(bare.toLowerCase()) ? `@${bare}` : `\`${bare}\``;
}

export function holds(login: string, role: string, people: People): boolean {
  const who = loginKey(login);
  if (role === "anyone") return true;
  if (role === "author") return people.authors.has(who);
  if (role === "sponsor") return people.sponsors.has(who);
  return people.roles[role]?.has(who) ?? false;
}

/** Holds one of `who` and none of `notBy` (for `author` in `notBy`: named as an author anywhere). */
export function allowed(login: string, who: readonly string[], notBy: readonly string[], people: People): boolean {
  const excluded = notBy.some((role) => (role === "author" ? people.namedAuthors.has(loginKey(login)) : holds(login, role, people)));
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

/**
 * May `login` sponsor this SEP? The rules' `does: sponsor` command says: by
 * default a maintainer, one who co-authored the SEP included (a process that
 * forbids that adds `notBy: [author]`); the PR's author who is no maintainer
 * never, as they hold no role in `who`.
 */
export function maySponsor(login: string, people: People, rules: Pick<Rules, "commands">): boolean {
  const command = Object.values(rules.commands).find((c) => c.does === "sponsor");
  return allowed(login, command?.who ?? ["maintainer"], command?.notBy ?? [], people);
}

