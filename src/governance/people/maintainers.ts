import { HANDLE } from "../../sep/values.js";
import { loginKey } from "../../shared/logins.js";
import type { ListedPerson } from "../model/snapshot.js";

/**
 * Maintainers from a MAINTAINERS.md on the base branch: every `@login` or
 * `github.com/<login>` link under the given headings (with every deeper
 * subsection), or in the whole file when none are given. The base branch is
 * trusted; a pull request's own copy of the file never is.
 */
const MENTION = new RegExp(`(?:^|[^A-Za-z0-9_.\`/])@(${HANDLE})(?![A-Za-z0-9-])`, "g");
const PROFILE = new RegExp(`github\\.com/(${HANDLE})(?=[)/\\s>"']|$)`, "gi");
const RESERVED = new Set(["orgs", "apps", "sponsors", "settings", "topics", "features", "about", "site", "collections"]);

export function parseMaintainersFile(text: string, sections: readonly string[] = []): string[] {
  const wanted = sections.map((s) => s.trim().toLowerCase());
  const logins = new Set<string>();
  let inWanted = wanted.length === 0;
  let wantedDepth = 0;
  let fence: string | null = null;
  for (const line of text.split(/\r\n|\r|\n/)) {
    const fenceMatch = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fenceMatch) {
      if (fence === null) fence = fenceMatch[1]![0]!;
      else if (fenceMatch[1]![0] === fence) fence = null;
      continue;
    }
    if (fence) continue;
    const heading = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading && wanted.length) {
      const depth = heading[1]!.length;
      const title = heading[2]!.replace(/[*_`]/g, "").replace(/&amp;/g, "&").trim().toLowerCase();
      // "Core Maintainers" also matches "Core Maintainers (alphabetical)", never "Core Maintainers Emeritus".
      if (wanted.some((w) => title === w || (title.startsWith(w) && /^\s*[(:\-–—]/.test(title.slice(w.length))))) {
        inWanted = true;
        wantedDepth = depth;
      } else if (inWanted && depth <= wantedDepth) {
        inWanted = false;
      }
      continue;
    }
    if (!inWanted) continue;
    for (const m of line.matchAll(MENTION)) logins.add(loginKey(m[1]!));
    for (const m of line.matchAll(PROFILE)) if (!RESERVED.has(m[1]!.toLowerCase())) logins.add(loginKey(m[1]!));
  }
  return [...logins].sort();
}

/** A person the maintainers file names, with their GitHub login (case as written) and name. */
const LINKED = new RegExp(`\\[([^\\[\\]]{1,120})\\]\\(\\s*https?://(?:www\\.)?github\\.com/(${HANDLE})/?\\s*\\)`, "gi");
const NAMED_HANDLE = new RegExp(`([^\\s(\\-–—*_][^()\\n]{0,118}?)\\s*\\(@(${HANDLE})\\)`, "g");

/**
 * Everyone the file links to a GitHub login, with the name written for them:
 * `[Darin McAdams](https://github.com/D-McAdams)` (the MCP file's form) or
 * `Darin McAdams (@D-McAdams)`. So a Sponsor written as a name can be resolved
 * to a login, and `Sponsor: Name (@login)` written with the name people know.
 */
export function parseMaintainerDirectory(text: string): ListedPerson[] {
  const people = new Map<string, ListedPerson>();
  const add = (login: string, name: string | null) => {
    const key = loginKey(login);
    if (RESERVED.has(key)) return;
    const clean = name?.replace(/[*_`]/g, "").replace(/\s+/g, " ").trim() || null;
    if (!people.has(key) || (!people.get(key)!.name && clean)) people.set(key, { login, name: clean });
  };
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (line.length > 2000) continue; // a bound on untrusted input: no real entry is that long
    for (const m of line.matchAll(LINKED)) add(m[2]!, m[1]!);
    for (const m of line.matchAll(NAMED_HANDLE)) add(m[2]!, m[1]!.replace(/^[\s\-*+]+/, ""));
  }
  return [...people.values()];
}
