import { findingAt, type Finding, type Fix } from "../../lint/finding.js";
import type { Rules } from "../../rules/schema.js";
import type { Person, Sep } from "../../sep/model.js";
import type { ListedPerson } from "../model/snapshot.js";
import { nearMiss } from "../../shared/near.js";
import { loginKey, sameLogin } from "../../shared/logins.js";

/**
 * Who the Sponsor field names, read the way people write it: `Name (@login)`,
 * `@login`, a plain name ("Darin McAdams"), or a handle with a typo. Each
 * person is matched against the people who may sponsor (maintainers): by
 * their handle; else by their name as the maintainers file writes it; else,
 * for a handle that is no maintainer's, by the one maintainer's handle a
 * typo or two away. A match is who the field *means*; it sponsors the SEP
 * only once the repository has also assigned them (roles.ts).
 */

export interface NamedSponsor {
  /** As the file writes them. */
  person: Person;
  /** The maintainer meant (their login as the maintainers file writes it), or null. */
  login: string | null;
  /** How they were found: the handle, the name, or a near miss of a maintainer's handle. */
  via: "handle" | "name" | "near" | null;
}

/** "Dariusz Jędrzejczyk" and "dariusz jedrzejczyk" are the same name; "(Rado)" and punctuation aside. */
export function nameKey(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .replace(/\([^()]{0,60}\)/g, " ")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/**
 * `eligible`: lowercase logins of everyone who may sponsor. `directory`: the
 * maintainers file's logins with their names (for case and names).
 */
export function resolveSponsors(sponsors: readonly Person[], eligible: ReadonlySet<string>, directory: readonly ListedPerson[]): NamedSponsor[] {
  const listed = new Map(directory.map((p) => [loginKey(p.login), p]));
  const asWritten = (lower: string) => listed.get(lower)?.login ?? lower;
  const byName = new Map<string, string | null>();
  for (const p of directory) {
    if (!p.name || !eligible.has(p.login.toLowerCase())) continue;
    const key = nameKey(p.name);
    // Two maintainers with one name: the name alone tells neither.
    byName.set(key, byName.has(key) && byName.get(key) !== loginKey(p.login) ? null : loginKey(p.login));
  }
  return sponsors.map((person): NamedSponsor => {
    const handle = person.handle ? loginKey(person.handle) : null;
    if (handle && eligible.has(handle)) return { person, login: asWritten(handle), via: "handle" };
    const named = person.name ? byName.get(nameKey(person.name)) : undefined;
    if (named) return { person, login: asWritten(named), via: "name" };
    const near = handle ? nearMiss(handle, eligible) : null;
    if (near) return { person, login: asWritten(near), via: "near" };
    return { person, login: null, via: null };
  });
}

/** What to write for a sponsor: `Name (@login)`, or `@login` when no name is known. */
export function sponsorValue(login: string, name: string | null): string {
  const clean = name?.replace(/[()@\r\n]/g, " ").replace(/\s+/g, " ").trim();
  return clean ? `${clean} (@${login})` : `@${login}`;
}

/**
 * What the plan says about the Sponsor field, besides the linter: a handle
 * that is no maintainer's (with the one meant, when a name or a near miss
 * says who), and a name written without its handle (with the handle). Each
 * comes with the edit that writes `Name (@login)`, so "Fix these" can apply
 * it. Handles are quoted, never @mentioned. `rolesKnown`: the maintainers
 * could be read (without them nothing can be said).
 */
export function sponsorFindings(sep: Sep, named: readonly NamedSponsor[], directory: readonly ListedPerson[], rules: Rules, rolesKnown: boolean): Finding[] {
  const field = sep.fields.find((f) => f.id === "sponsor");
  if (!field || !rolesKnown) return [];
  const single = field.line === field.endLine && sep.preambleStyle !== "front-matter";
  const findings: Finding[] = [];
  for (const { person, login, via } of named) {
    const handle = person.handle;
    const name = login ? (directory.find((p) => sameLogin(p.login, login))?.name ?? person.name) : person.name;
    const write = login ? `\`${sponsorValue(login, name)}\`` : "";
    // The text to replace: the handle as written (`@nickcoi`), or the name alone.
    const written = handle ? `@${handle}` : person.name;
    const at = written && single ? field.value.indexOf(written) : -1;
    const fix: Fix | undefined = login && at >= 0 ? { description: `Write ${sponsorValue(login, name)}`, edits: [{ line: field.line, column: field.valueColumn + at, endColumn: field.valueColumn + at + written!.length, text: handle ? `@${login}` : sponsorValue(login, name) }] } : undefined;
    const report = (rule: "sponsor-unknown" | "sponsor-handle-missing", message: string) => {
      const finding = findingAt(rule, message, field.line, rules);
      findings.push({ ...finding, column: field.valueColumn, ...(fix ? { fix } : {}) });
    };
    if (via === "near") report("sponsor-unknown", `The Sponsor \`${handle}\` is not a maintainer's handle: did you mean \`${login}\`? Write ${write}.`);
    else if (via === "name" && handle) report("sponsor-unknown", `The Sponsor \`${handle}\` is not a maintainer's handle, but ${name} is a maintainer as \`${login}\`. Write ${write}.`);
    else if (via === "name") report("sponsor-handle-missing", `The Sponsor ${person.name} is the maintainer \`${login}\`. Write ${write}, so sep-bot and people know who it is.`);
    else if (via === null && handle) report("sponsor-unknown", `The Sponsor \`${handle}\` is not a maintainer (MAINTAINERS.md), and a sponsor is a maintainer who champions the SEP. Ask one in its area to sponsor it: they comment \`/sponsor\`.`);
  }
  return findings;
}
