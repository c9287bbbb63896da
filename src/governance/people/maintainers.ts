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
  for (const { line, heading } of markdownLines(text.split(LINE_BREAK))) {
    if (heading && wanted.length) {
      if (wanted.some((w) => titleIs(heading.title, w))) {
        inWanted = true;
        wantedDepth = heading.depth;
      } else if (inWanted && heading.depth <= wantedDepth) {
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

/**
 * The text under a heading of the file (matched as the roles match theirs),
 * with every deeper subsection, up to the next heading as high; null without
 * it. The SDK maintainers' subsections sit within one such section.
 */
export function sectionText(text: string, heading: string): string | null {
  const wanted = heading.trim().toLowerCase();
  const lines = text.split(LINE_BREAK);
  let start = -1;
  let depth = 0;
  for (const { index, heading: h } of markdownLines(lines)) {
    if (!h) continue;
    if (start >= 0 && h.depth <= depth) return lines.slice(start, index).join("\n");
    if (start < 0 && titleIs(h.title, wanted)) {
      start = index + 1;
      depth = h.depth;
    }
  }
  return start >= 0 ? lines.slice(start).join("\n") : null;
}

const LINE_BREAK = /\r\n|\r|\n/;

/** Each line outside fenced code, with the heading it is (its depth, its title lowercased without markup), if any. */
function* markdownLines(lines: readonly string[]): Generator<{ index: number; line: string; heading: { depth: number; title: string } | null }> {
  let fence: string | null = null;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    const fenceMatch = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fenceMatch) {
      if (fence === null) fence = fenceMatch[1]![0]!;
      else if (fenceMatch[1]![0] === fence) fence = null;
      continue;
    }
    if (fence) continue;
    const heading = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    yield { index, line, heading: heading ? { depth: heading[1]!.length, title: heading[2]!.replace(/[*_`]/g, "").replace(/&amp;/g, "&").trim().toLowerCase() } : null };
  }
}

/** "Core Maintainers" is "Core Maintainers" and "Core Maintainers (alphabetical)", never "Core Maintainers Emeritus". */
function titleIs(title: string, wanted: string): boolean {
  return title === wanted || (title.startsWith(wanted) && /^\s*[(:\-–—]/.test(title.slice(wanted.length)));
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
