import type { Rules } from "../../rules/schema.js";
import type { Person } from "../../sep/model.js";
import { parseSep } from "../../sep/parse.js";
import { lintSep } from "../../lint/index.js";
import { whichIsTheSep } from "../../governance/check/findings.js";
import { processState } from "../../governance/status/states.js";

/**
 * A SEP pull request's own file, as the bulk read gives it to the site and
 * the digest: which of its changed files is the SEP (the check's function,
 * `whichIsTheSep`), and what that file says at the head. Pure: the read in
 * github/read/ fetches the texts, this decides and summarises them.
 */

/** A changed file as the pull request lists it. */
export interface ListedFile {
  path: string;
  change: "added" | "modified" | "renamed" | "removed" | "copied" | "changed";
}

/** What the SEP file at a pull request's head says: what a row needs, not the text. */
export interface SweepSepFile {
  path: string;
  /** The title as the file writes it (heading, front matter, or a preamble's Title field); null when it has none. */
  title: string | null;
  /** The Status field, as a rules status id (`draft` even while it awaits a sponsor); null when unknown. */
  status: string | null;
  /** The process state the file says (`proposal` while it awaits a sponsor, as `processState`). */
  state: string | null;
  type: string | null;
  /** YYYY-MM-DD, the Created field. */
  created: string | null;
  /** Every author and every sponsor the file names, in its order (name and handle as written). */
  authors: Array<Pick<Person, "name" | "handle">>;
  sponsors: Array<Pick<Person, "name" | "handle">>;
  /** It says it has no sponsor yet ("None", a placeholder, or no field on a seeking status). */
  awaitingSponsor: boolean;
  /** Errors the check's linter finds in it (the check fails on any): what a pull request sep-bot has not checked yet will be told. */
  errors: number;
}

/** A changed file the pull request adds (nothing at its path on the base branch). */
const isNew = (f: ListedFile) => f.change === "added" || f.change === "copied";

/**
 * The changed SEP files whose text decides which is the SEP: the SEP is
 * always among the new ones when there are any (a pull request that also
 * edits an older SEP reads only its own), else among the edited ones.
 */
export function filesToRead(files: readonly ListedFile[]): ListedFile[] {
  const live = files.filter((f) => f.change !== "removed");
  const added = live.filter(isNew);
  return added.length ? added : live;
}

/**
 * The SEP file of a pull request from its files' texts at the head (null
 * text: binary, not UTF-8, or over the size limit): the one `whichIsTheSep`
 * picks, summarised; null when the pull request is about several SEPs, or
 * its SEP could not be read.
 */
export function sepFileOf(read: ReadonlyArray<ListedFile & { text: string | null }>, rules: Rules, now: Date): SweepSepFile | null {
  const parsed = read.map((f) => ({ path: f.path, isNew: isNew(f), text: f.text, sep: parseSep(f.text ?? "", f.path, { rules }) }));
  const { primary } = whichIsTheSep(parsed);
  const chosen = primary === null ? null : parsed[primary]!;
  if (!chosen || chosen.text === null) return null;
  const { sep } = chosen;
  const person = (p: Person) => ({ name: p.name, handle: p.handle });
  return {
    path: chosen.path,
    title: sep.title,
    status: sep.status,
    state: processState(rules, sep),
    type: sep.type,
    created: sep.created,
    authors: sep.authors.map(person),
    sponsors: sep.awaitingSponsor ? [] : sep.sponsors.filter((s) => s.handle || s.name).map(person),
    awaitingSponsor: sep.awaitingSponsor,
    // As the check lints it: in a pull request a placeholder number is the rename's business, not an error.
    errors: lintSep(sep, rules, { now }).filter((f) => f.severity === "error" && f.rule !== "number-placeholder").length,
  };
}
