/**
 * What a path in a git tree is, by its mode. A SEP is a regular file (100644,
 * or 100755: the executable bit changes nothing for a text). A symbolic link
 * (120000) or a submodule (160000) is another kind of entry: GitHub shows a
 * link as a blob holding its target, so read as text it would look like a
 * (very short) SEP, and written back it would become a file. sep-bot reads and
 * writes regular files only.
 */

const REGULAR = new Set(["100644", "100755"]);

/** A regular file; an unknown mode (a snapshot built by hand, a listing that could not be read) counts as one. */
export function isRegularFile(mode: string | null | undefined): boolean {
  return mode == null || REGULAR.has(mode);
}

/** "a symbolic link", "a submodule": what a path that is not a regular file is, in words. */
export function describeMode(mode: string): string {
  if (mode === "120000") return "a symbolic link";
  if (mode === "160000") return "a submodule";
  if (mode === "040000" || mode === "40000") return "a directory";
  return `an entry of mode ${mode}`;
}

/** The finding's words: what the path is, why sep-bot leaves it alone, and how to make it a SEP. */
export function notRegularMessage(path: string, mode: string): string {
  const what = describeMode(mode);
  const fix = mode === "160000" ? `remove the submodule (\`git rm ${path}\`) and commit the SEP's text as a file at that path` : `replace it with the SEP's text as a file (\`git rm ${path}\`, then add the file itself)`;
  return `\`${path}\` is ${what}, not a file: sep-bot reads and changes only files, and a SEP must be one. To go on, ${fix}.`;
}
