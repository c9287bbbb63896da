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

/** Every SEP file the pull request adds or changes, parsed and linted; several new SEPs are each told to move. */
export function sepFilesOf(files: readonly ChangedSepFile[], rules: Rules, now: Date): SepFile[] {
  const out: SepFile[] = files
    .filter((f) => f.change !== "removed")
    .map((file) => {
      const sep = parseChanged(file, rules);
      return {
        // A link or a submodule has no text of its own: never parsed, renamed, fixed or rewritten.
        file: isRegularFile(file.headMode) ? file : { ...file, headText: null },
        sep,
        base: file.baseText === null ? null : parseSep(file.baseText, file.previousPath ?? file.path, { rules }),
        isNew: file.baseText === null,
        extra: [],
        // In a PR the number is no longer a placeholder question: the rename (done, or rename-pending) answers it.
        linted: lintSep(sep, rules, { now }).filter((x) => x.rule !== "number-placeholder"),
      };
    });
  const added = out.filter((f) => f.isNew);
  if (added.length > 1) {
    const paths = added.map((a) => `\`${a.file.path}\``).join(", ");
    for (const f of added) f.extra.push(findingAt("sep-multiple", `This pull request adds ${added.length} SEPs (${paths}). Each SEP needs its own pull request, whose number becomes its SEP number: move the others to new pull requests.`, 1, rules));
  }
  return out;
}

/** The SEP this pull request is about: its one new SEP, or the one SEP it edits; null when it is about several. */
export function primaryOf(files: readonly SepFile[]): SepFile | null {
  const added = files.filter((f) => f.isNew);
  return added.length === 1 ? added[0]! : added.length === 0 && files.length === 1 ? files[0]! : null;
}

/** A file's findings, in line order: the linter's, and the planner's (`more` too), which replace the linter's at the same place. */
export function findingsOf(f: SepFile, more: readonly Finding[] = []): Finding[] {
  const extra = [...f.extra, ...more];
  const own = new Set(extra.map((x) => `${x.rule}:${x.line}`));
  return [...f.linted.filter((x) => !own.has(`${x.rule}:${x.line}`)), ...extra].sort((a, b) => a.line - b.line || a.column - b.column);
}
