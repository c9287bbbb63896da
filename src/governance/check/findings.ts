import { lintSep } from "../../lint/index.js";
import { findingAt, type Finding } from "../../lint/finding.js";
import type { Rules } from "../../rules/schema.js";
import { isRegularFile, notRegularMessage } from "../../sep/file-kind.js";
import type { Sep } from "../../sep/model.js";
import { parseSep } from "../../sep/parse.js";
import type { ChangedSepFile } from "../model/snapshot.js";

/**
 * The SEP files a pull request changes, as the check sees them: each parsed
 * at its head and on the base branch, linted once, with what the planner adds
 * (a finding it words better replaces the linter's at the same place).
 */

export interface SepFile {
  file: ChangedSepFile;
  sep: Sep;
  base: Sep | null;
  isNew: boolean;
  /** Findings the planner adds to the linter's (several SEPs in one pull request). */
  extra: Finding[];
  /** The linter's findings on the file as written. */
  linted: Finding[];
  /** The file this pull request is about (see `whichIsTheSep`). */
  primary: boolean;
}

/** A changed file's SEP: a link or a submodule is no text (a finding says what it is); too large or binary, the parser says so. */
export function parseChanged(file: ChangedSepFile, rules: Rules): Sep {
  if (!isRegularFile(file.headMode)) {
    const sep = parseSep("", file.path, { rules });
    return { ...sep, problems: [{ rule: "file-not-regular", message: notRegularMessage(file.path, file.headMode!), line: 1, column: 1 }] };
  }
  if (file.headText === null) {
    // Over the size limit: report its size. Otherwise binary: a NUL makes the parser say so.
    return file.headSize > rules.limits.maxFileBytes ? parseSep("", file.path, { rules, size: file.headSize }) : parseSep("\u0000", file.path, { rules });
  }
  return parseSep(file.headText, file.path, { rules });
}

/**
 * Every SEP file the pull request adds or changes, parsed and linted; several new SEPs are each told to move.
 * Companions (a FAQ, notes named after the SEP) are no SEPs: they are left out (see `whichIsTheSep`).
 */
export function sepFilesOf(files: readonly ChangedSepFile[], rules: Rules, now: Date): SepFile[] {
  const parsed = files.filter((f) => f.change !== "removed").map((file) => ({ file, sep: parseChanged(file, rules) }));
  const roles = whichIsTheSep(parsed.map(({ file, sep }) => ({ path: file.path, isNew: file.baseText === null, sep })));
  const out: SepFile[] = parsed
    .filter((_, i) => !roles.companions.has(i))
    .map(({ file, sep }) => ({
      // A link or a submodule has no text of its own: never parsed, renamed, fixed or rewritten.
      file: isRegularFile(file.headMode) ? file : { ...file, headText: null },
      sep,
      base: file.baseText === null ? null : parseSep(file.baseText, file.previousPath ?? file.path, { rules }),
      isNew: file.baseText === null,
      extra: [],
      // In a PR the number is no longer a placeholder question: the rename (done, or rename-pending) answers it.
      linted: lintSep(sep, rules, { now }).filter((x) => x.rule !== "number-placeholder"),
      primary: roles.primary !== null && parsed[roles.primary]!.file === file,
    }));
  const added = out.filter((f) => f.isNew);
  if (added.length > 1) {
    const paths = added.map((a) => `\`${a.file.path}\``).join(", ");
    for (const f of added) f.extra.push(findingAt("sep-multiple", `This pull request adds ${added.length} SEPs (${paths}). Each SEP needs its own pull request, whose number becomes its SEP number: move the others to new pull requests.`, 1, rules));
  }
  return out;
}

/** The SEP this pull request is about: its one new SEP, or the one SEP it edits; null when it is about several. */
export function primaryOf(files: readonly SepFile[]): SepFile | null {
  return files.find((f) => f.primary) ?? null;
}

/** A changed file as `whichIsTheSep` weighs it: where it is, whether the pull request adds it, what it says. */
export interface SepCandidate {
  path: string;
  isNew: boolean;
  sep: Sep;
}

export interface SepRoles {
  /** The index of the file the pull request is about; null when it is about several SEPs, or none. */
  primary: number | null;
  /** Companion files, by index, with the path of the SEP each goes with. */
  companions: Map<number, string>;
}

/**
 * Which of a pull request's files is the SEP, as a maintainer reads them:
 * the file whose preamble (a Status or Type field) or heading (`# SEP-...`)
 * makes it a SEP. A file named after another one in the same pull request
 * (`3182-request-idempotency-faq.md` beside `3182-request-idempotency.md`:
 * its name is the SEP's, with more after a hyphen, and the same number or a
 * placeholder) that is less of a SEP than it (no preamble where the SEP has
 * one), or that is no SEP at all and carries its number, is a companion
 * (a FAQ, notes): not a second SEP. Then, as before: the one new SEP, else
 * the one SEP edited. The check, the rename, the record and the site all ask
 * this one function.
 */
export function whichIsTheSep(files: readonly SepCandidate[]): SepRoles {
  const companions = new Map<number, string>();
  files.forEach((f, i) => {
    const owner = files.find((s, j) => j !== i && companionOf(f, s));
    if (owner) companions.set(i, owner.path);
  });
  const seps = files.map((f, i) => ({ f, i })).filter(({ i }) => !companions.has(i));
  const added = seps.filter(({ f }) => f.isNew);
  const primary = added.length === 1 ? added[0]!.i : added.length === 0 && seps.length === 1 ? seps[0]!.i : null;
  return { primary, companions };
}

/** 2: a preamble says it is a SEP; 1: only its heading does (`# SEP-...`); 0: nothing does. */
function sepness(sep: Sep): number {
  if (sep.fields.some((f) => f.id === "status" || f.id === "type")) return 2;
  return sep.titleHeading && /^SEP\b/i.test(sep.titleHeading.text) ? 1 : 0;
}

/** `f` goes with the SEP `s`: named after it, and less of a SEP than it. */
function companionOf(f: SepCandidate, s: SepCandidate): boolean {
  const mine = sepness(f.sep);
  const theirs = sepness(s.sep);
  if (mine >= theirs) return false;
  const placeholder = (raw: string | null) => raw === null || /^0+$/.test(raw);
  const sameNumber = f.sep.fileNumberRaw !== null && s.sep.fileNumberRaw !== null && Number(f.sep.fileNumberRaw) === Number(s.sep.fileNumberRaw);
  const numbersAgree = sameNumber || placeholder(f.sep.fileNumberRaw) || placeholder(s.sep.fileNumberRaw);
  const slug = (sep: Sep) => (sep.slug ?? "").toLowerCase();
  const namedAfter = slug(s.sep) !== "" && slug(f.sep).startsWith(`${slug(s.sep)}-`);
  // Named after it; or no SEP at all, under its (real) number: `3182-faq.md`.
  return numbersAgree && (namedAfter || (mine === 0 && sameNumber && !placeholder(f.sep.fileNumberRaw)));
}

/** A file's findings, in line order: the linter's, and the planner's (`more` too), which replace the linter's at the same place. */
export function findingsOf(f: SepFile, more: readonly Finding[] = []): Finding[] {
  const extra = [...f.extra, ...more];
  const own = new Set(extra.map((x) => `${x.rule}:${x.line}`));
  return [...f.linted.filter((x) => !own.has(`${x.rule}:${x.line}`)), ...extra].sort((a, b) => a.line - b.line || a.column - b.column);
}
