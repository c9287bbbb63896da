import { parseArgs } from "node:util";
import { finalReadiness, type Readiness } from "../../governance/final/readiness.js";
import type { Rules } from "../../rules/schema.js";
import type { Io } from "../log.js";
import { parseSep } from "../../sep/parse.js";
import { readCapped, UsageError } from "./files.js";
import { rulesFile } from "./rules-file.js";

/**
 * `sep-bot conformance <sep-file> [--traceability <yaml>] [--manifest
 * <traceability.json>] [--format text|json]`: the normative requirements of
 * a SEP's Specification section and the traceability rows that trace them,
 * for a sponsor verifying a traceability file and for the conformance
 * repository's own CI. Exit 1 when a requirement has no row (and the SEP is
 * not exempt); 2 when what it was given cannot be read or trusted (a
 * directory, a file over its limit, a broken traceability file or manifest;
 * and, with the report printed, a Specification section it cannot read or
 * find, or a traceability file whose `sep:` names another SEP). The JSON and
 * the exit status are documented in docs/conformance.md.
 */

export const CONFORMANCE_HELP = `Usage: sep-bot conformance <sep-file> [--traceability <yaml>] [--manifest <json>] [--format text|json] [--rules file]

Lists the normative requirements (MUST, MUST NOT, SHOULD, SHOULD NOT, SHALL,
REQUIRED, RECOMMENDED) of a SEP's Specification section, each with the rows
of its conformance traceability file (src/seps/sep-NNNN.yaml) that trace it.

Options:
  --traceability <f>  the SEP's traceability file (without it, every requirement is listed as untraced)
  --manifest <f>      the conformance repository's traceability.json (untested and untracked checks)
  --format <f>        text (default) or json
  --rules <file>      a rules override, like a repository's .github/sep-bot.yml
  -h, --help          show this help

Exit status:
  0  every requirement has a row (or the SEP is exempt)
  1  a requirement has no row
  2  usage or read error: a file missing, a directory, over its size limit, a
     traceability file or manifest that cannot be read (nothing is printed);
     or, after the report, what makes it untrustworthy: a Specification
     section that cannot be read or is not found, a traceability file whose
     \`sep:\` names another SEP (said on stderr)
`;

const MAX_CONFORMANCE_FILE = 20_000_000;

export function conformanceCommand(args: string[], io: Io): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      traceability: { type: "string" },
      manifest: { type: "string" },
      format: { type: "string", default: "text" },
      rules: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    io.out(CONFORMANCE_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError("conformance needs one SEP file: `sep-bot conformance seps/2164-resource-not-found-error.md`");
  if (values.format !== "text" && values.format !== "json") throw new UsageError(`--format must be text or json (got "${values.format}")`);
  const rules = rulesFile(values.rules);
  const path = positionals[0]!;
  const readText = (file: string, max: number, limit: string) => {
    const { bytes, size } = readCapped(file, max);
    if (size > max) throw new UsageError(`${file}: ${size} bytes, over the limit of ${max} (${limit})`);
    return bytes;
  };
  // Each file read once, and whole: a SEP cut at its limit would be judged on part of its requirements.
  const bytes = readText(path, rules.limits.maxFileBytes, "limits.maxFileBytes");
  const traceability = values.traceability ? Buffer.from(readText(values.traceability, MAX_CONFORMANCE_FILE, "a traceability file")).toString("utf8") : null;
  const manifestText = values.manifest ? Buffer.from(readText(values.manifest, MAX_CONFORMANCE_FILE, "a manifest")).toString("utf8") : null;
  const sep = parseSep(bytes, path, { rules, size: bytes.length });
  const text = Buffer.from(bytes).toString("utf8");
  const report = finalReadiness({
    sep,
    text,
    rules: withoutChangeChecks(rules),
    conformance: {
      traceability: { text: traceability, path: values.traceability ?? "(no --traceability)", url: null },
      manifest: manifestText !== null ? { text: manifestText, url: null } : null,
    },
    changes: null,
  });
  const c = report.conformance;
  if (c.file.state === "invalid") throw new UsageError(`${values.traceability}: ${c.file.note}`);
  if (values.manifest && c.manifest.state === "invalid") throw new UsageError(`${values.manifest}: ${c.manifest.note ?? "not a traceability manifest"}`);
  io.out(values.format === "json" ? `${JSON.stringify(conformanceJson(report), null, 2)}\n` : conformanceText(path, report, !!values.traceability));
  // What makes the report untrustworthy: said on stderr, exit 2 (a CI must not pass on it).
  const untrusted: string[] = [];
  if (!c.exempt && c.unreadable) untrusted.push(`${path}: ${c.unreadable}: its requirements are not all listed`);
  if (!c.exempt && !c.unreadable && !c.section) untrusted.push(`${path}: no Specification section found (a heading the rules call so): sep-bot cannot tell its requirements`);
  if (values.traceability && c.file.sep !== null && report.sep !== null && c.file.sep !== report.sep) untrusted.push(`${values.traceability}: its \`sep:\` is ${c.file.sep}, not ${report.sep}: is it this SEP's traceability file?`);
  for (const problem of untrusted) io.err(`sep-bot: ${problem}\n`);
  if (untrusted.length) return 2;
  return !c.exempt && c.requirements.some((r) => r.coverage === "none") ? 1 : 0;
}

/** The command line judges the traceability only: the pull request's changes are not known here. */
function withoutChangeChecks(rules: Rules): Rules {
  return { ...rules, final: { ...rules.final, specification: [], changelog: null } };
}

/** The documented JSON (docs/conformance.md); rows indexed from 0 in file order. */
export function conformanceJson(report: Readiness) {
  const c = report.conformance;
  const lineOf = (i: number) => c.requirements[i]!.line;
  return {
    sep: report.sep,
    section: c.section ? { heading: c.section.heading, startLine: c.section.startLine, endLine: c.section.endLine } : null,
    otherSections: c.otherSections.map((s) => ({ heading: s.heading, startLine: s.startLine, endLine: s.endLine })),
    requirements: c.requirements.map((r) => ({
      line: r.line,
      endLine: r.endLine,
      keyword: r.keyword,
      text: r.text,
      rows: r.rows,
      coverage: r.coverage,
      notes: r.notes,
      closest: r.closest?.row ?? null,
      candidates: r.candidates,
    })),
    rows: c.rows.map((w) => ({
      index: w.index,
      line: w.line,
      check: w.check,
      excluded: w.excluded,
      issue: w.issue,
      exclusion: w.exclusion,
      requirements: w.requirements.map(lineOf),
      elsewhere: w.elsewhere?.line ?? null,
    })),
    uncovered: c.requirements.filter((r) => r.coverage === "none").map((r) => r.line),
    rowsWithoutRequirement: c.rows.filter((w) => !w.requirements.length).map((w) => w.index),
    exempt: c.exempt,
    asks: c.asks,
    manifest: c.manifest.state === "read" ? { source: c.manifest.source, untested: c.manifest.untested, untracked: c.manifest.untracked, unkeyed: c.manifest.unkeyed } : null,
    unreadable: c.unreadable,
  };
}

function conformanceText(path: string, report: Readiness, withFile: boolean): string {
  const c = report.conformance;
  const out: string[] = [];
  const where = c.section ? `${c.section.heading} (lines ${c.section.startLine}-${c.section.endLine})` : "no Specification section";
  const none = c.requirements.filter((r) => r.coverage === "none").length;
  out.push(`${path}: SEP-${report.sep ?? "?"}, ${where}: ${c.requirements.length} requirement${c.requirements.length === 1 ? "" : "s"}, ${c.requirements.length - none} traced, ${none} with no row`);
  if (c.exempt) out.push(`  exempt: ${c.exempt}`);
  for (const ask of c.asks) out.push(`  confirm: ${ask}`);
  if (c.unreadable) out.push(`  ${c.unreadable}`);
  for (const s of c.otherSections) out.push(`  also read: ${s.heading} (lines ${s.startLine}-${s.endLine})`);
  const rowName = (i: number) => `row ${i}${c.rows[i]?.check ? ` (${c.rows[i]!.check})` : c.rows[i]?.excluded ? " (excluded)" : ""}`;
  for (const r of c.requirements) {
    const lines = r.endLine > r.line ? `${r.line}-${r.endLine}` : `${r.line}`;
    const head = `${path}:${lines}: ${r.keyword}: ${r.coverage === "none" ? "no row" : r.coverage}`;
    const detail =
      r.coverage === "none"
        ? [`"${clip(r.text)}"`, r.closest ? `closest: ${rowName(r.closest.row)}` : null, ...r.candidates.map((x) => `the manifest's untracked check \`${x}\` may trace it: add a row`)]
        : [r.rows.map(rowName).join(", "), ...r.notes];
    out.push(`${head}: ${detail.filter(Boolean).join("; ")}`);
  }
  const extra = c.rows.filter((w) => !w.requirements.length);
  if (extra.length) {
    out.push(`Rows that trace no requirement of the section:`);
    for (const w of extra) out.push(`  ${rowName(w.index)}${w.line ? ` (line ${w.line})` : ""}: "${clip(w.text)}"${w.elsewhere ? `; quotes line ${w.elsewhere.line}, outside the section` : ""}`);
  }
  const gaps = c.rows.filter((w) => w.excluded && !w.issue && w.exclusion !== "unobservable");
  for (const w of gaps) {
    const bad = w.badIssue ? ` (\`issue: ${clip(w.badIssue)}\` names no issue: a URL to one, owner/repo#N or #N)` : "";
    out.push(`  ${rowName(w.index)}: excluded ${w.exclusion === "gap" ? "as a framework gap without a tracking issue: add `issue:`" : "without an issue, and the reason does not say it is unobservable: confirm it is not a framework gap"}${bad}`);
  }
  if (c.manifest.state === "read") {
    if (c.manifest.untested.length) out.push(`Checks the reference run did not emit: ${c.manifest.untested.join(", ")}`);
    if (c.manifest.untracked.length) out.push(`Emitted checks with no row: ${c.manifest.untracked.join(", ")}`);
  } else if (c.manifest.state === "no-entry") out.push(`The manifest has no entry for SEP-${report.sep}.`);
  if (!withFile && !c.exempt) out.push(`No --traceability file given: every requirement above needs a row (a check ID or a documented exclusion).`);
  return `${out.join("\n")}\n`;
}

function clip(text: string): string {
  return text.length > 140 ? `${text.slice(0, 137)}...` : text;
}
