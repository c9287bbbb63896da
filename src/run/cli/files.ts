import { closeSync, fstatSync, openSync, readdirSync, readSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Rules } from "../../rules/schema.js";

/** A path the user gave that cannot be read: exit code 2, not a finding. */
export class UsageError extends Error {}

/**
 * Expands the command line's paths: files as given, directories to their
 * `*.md` files (not recursive; README.md and TEMPLATE.md excluded), sorted.
 */
export function expandPaths(paths: readonly string[], rules: Rules): string[] {
  const out: string[] = [];
  for (const path of paths) {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      throw new UsageError(`${path}: no such file or directory`);
    }
    if (stat.isDirectory()) {
      const names = readdirSync(path, { withFileTypes: true })
        .filter((e) => e.isFile() && /\.md$/i.test(e.name) && !rules.exclude.some((x) => x.toLowerCase() === e.name.toLowerCase()))
        .map((e) => e.name)
        .sort();
      out.push(...names.map((name) => join(path, name)));
    } else {
      out.push(path);
    }
  }
  return out;
}

/**
 * Reads a file, but never more than `maxBytes + 1` of it: a huge file is
 * reported as too large without being loaded. Anything but a regular file
 * (a directory, a device, a pipe) or a file that cannot be read is a
 * UsageError that says so in one line: exit 2, never a stack trace.
 */
export function readCapped(path: string, maxBytes: number): { bytes: Uint8Array; size: number } {
  let stat;
  try {
    stat = statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(code === "ENOENT" ? `${path}: no such file` : `${path}: cannot read (${code ?? "error"})`);
  }
  if (stat.isDirectory()) throw new UsageError(`${path}: is a directory, not a file`);
  if (!stat.isFile()) throw new UsageError(`${path}: not a regular file`);
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    throw new UsageError(`${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, maxBytes + 1);
    const buffer = Buffer.alloc(length);
    let read = 0;
    while (read < length) {
      const n = readSync(fd, buffer, read, length - read, read);
      if (n === 0) break;
      read += n;
    }
    return { bytes: buffer.subarray(0, read), size };
  } catch (error) {
    throw new UsageError(`${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message.split("\n")[0]})`);
  } finally {
    closeSync(fd);
  }
}
