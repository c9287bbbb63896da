import type { Rules } from "../../rules/schema.js";
import { markdownUrl } from "../../shared/markdown.js";
import type { ItemState, Readiness } from "../final/readiness.js";
import type { Snapshot } from "../model/snapshot.js";
import { safe } from "./inline.js";

/**
 * The status comment's "Road to Final" for an accepted SEP: each item of
 * readiness.ts with what is done and what is missing, and, folded away, every
 * requirement of the Specification section with its rows, linked to its line
 * in the file and in the traceability file. Plain marks, not task-list
 * boxes: a box a person ticks would edit sep-bot's comment.
 *
 * Whatever the files say, the section stays well under GitHub's 65,536
 * characters: every list is cut ("… and N more"), and the requirements stop
 * at a budget of characters as well as a count.
 */

/** Requirements listed in the comment; the command line lists them all. */
const MAX_LISTED = 60;
/** The requirements' lines stop once they reach this many characters. */
const LISTED_BUDGET = 24_000;
/** Rows named for one requirement, untracked checks suggested for one, notes shown for one (characters). */
const MAX_ROWS_NAMED = 5;
const MAX_CANDIDATES = 3;
const MAX_NOTES = 300;
/** Rows that trace nothing, and checks emitted with no row, named. */
const MAX_EXTRA_ROWS = 20;
const MAX_UNTRACKED = 20;
/** An item's detail, at most (readiness.ts keeps them shorter). */
const MAX_DETAIL = 700;

const MARK: Record<ItemState, string> = { done: "✅", missing: "⬜", confirm: "⚠️", unknown: "❔", "not-needed": "➖" };

/**
 * Our own words with the files' bits in them, made inert: one line, no HTML, no mention, nothing that opens a
 * link or an image; code spans kept where they close, and every backtick dropped when one would not (a
 * check ID cannot end a span early and go on as markdown). Cut to `max` without leaving a span open.
 */
export function quiet(text: string, max = MAX_DETAIL): string {
  let one = text.replace(/[\r\n\u2028\u2029\u0000-\u001f\u007f]+/g, " ").replace(/\s+/g, " ");
  if (one.length > max) {
    one = one.slice(0, max - 1);
    if ((one.match(/`/g)?.length ?? 0) % 2) one = one.slice(0, one.lastIndexOf("`"));
    one = `${one.trimEnd()}…`;
  }
  const parts = one.split("`");
  const spans = parts.length % 2 === 1; // an even number of backticks: each pair is a span
  const prose = (p: string) => p.replace(/[<>]/g, " ").replace(/([\\[\]])/g, "\\$1");
  const unmention = (p: string) => p.replace(/@(?!\u200b)/g, "@\u200b");
  if (!spans) return unmention(prose(parts.join("")));
  return parts.map((p, i) => (i % 2 ? unmention(p.replace(/[<>]/g, " ")) : unmention(prose(p)))).join("`");
}

/** "a, b, c … and 4 more" */
function capped<T>(list: readonly T[], max: number, show: (x: T) => string, more: (n: number) => string): string {
  const shown = list.slice(0, max).map(show).join(", ");
  return list.length > max ? `${shown}, ${more(list.length - max)}` : shown;
}

export function roadToFinal(readiness: Readiness, rules: Rules, snapshot: Snapshot, path: string): string[] {
  const { pr, repo } = snapshot;
  const c = readiness.conformance;
  const lineLink = (line: number, end = line) => markdownUrl(`https://github.com/${repo.owner}/${repo.name}/blob/${pr.headSha}/${path}#L${line}${end > line ? `-L${end}` : ""}`);
  const rowLink = (line: number | null) => (c.file.url && line ? markdownUrl(`${c.file.url}#L${line}`) : null);
  const out = ["**Road to Final**", ""];
  for (const item of readiness.items) {
    const file = item.id === "conformance" && c.file.url && c.file.state !== "absent" ? ` ([\`${safe(c.file.path, 120)}\`](${markdownUrl(c.file.url)}))` : "";
    out.push(`- ${MARK[item.state]} **${item.title}**: ${quiet(item.detail)}${file}`);
  }
  out.push("");
  if (readiness.ready) out.push(readiness.items.some((i) => i.state === "confirm") ? "Nothing required is missing; the sponsor confirms what is marked ⚠️, then comments `/final`." : "Nothing is missing: the sponsor comments `/final`.", "");
  else out.push(`\`/${finalCommand(rules)}\` waits for the items marked ⬜; a maintainer who decides otherwise writes \`/${finalCommand(rules)} override <why>\` (recorded).`, "");

  if (c.requirements.length && !c.exempt && c.file.state === "read") {
    const none = c.requirements.filter((r) => r.coverage === "none").length;
    const partial = c.requirements.filter((r) => r.coverage === "partial").length;
    const rowName = (i: number) => {
      const row = c.rows[i];
      const name = `row ${i}${row?.check ? ` (\`${safe(row.check, 80)}\`)` : row?.excluded ? " (excluded)" : ""}`;
      const link = rowLink(row?.line ?? null);
      return link ? `[${name}](${link})` : name;
    };
    out.push(`<details><summary>The Specification's ${c.requirements.length} requirement${c.requirements.length === 1 ? "" : "s"}${none ? `: ${none} with no row` : ""}${partial ? `${none ? "," : ":"} ${partial} to confirm` : ""}</summary>`, "");
    // What needs an eye first (no row, then partly traced), the rest after; a comment holds 65,536 characters.
    const order = { none: 0, partial: 1, full: 2 } as const;
    const sorted = [...c.requirements].sort((a, b) => order[a.coverage] - order[b.coverage] || a.line - b.line).slice(0, MAX_LISTED);
    let listed = 0;
    let used = 0;
    for (const r of sorted) {
      const at = `[line ${r.line}](${lineLink(r.line, r.endLine)}) ${r.keyword}`;
      let line: string;
      if (r.coverage === "none") {
        const closest = r.closest ? ` Closest: ${rowName(r.closest.row)}.` : "";
        const candidates = r.candidates.length ? ` The manifest's untracked ${r.candidates.length > 1 ? "checks" : "check"} ${capped(r.candidates, MAX_CANDIDATES, (x) => `\`${safe(x, 80)}\``, (n) => `… and ${n} more`)} may trace it.` : "";
        line = `- ${at}, **no row**: "${safe(r.text, 160)}"${closest}${candidates}`;
      } else {
        const rows = capped(r.rows, MAX_ROWS_NAMED, rowName, (n) => `… and ${n} more rows`);
        line = `- ${at}: ${rows}${r.coverage === "partial" ? ` ⚠️ ${quiet(r.notes.join("; "), MAX_NOTES)}: confirm` : ""}`;
      }
      if (listed && used + line.length > LISTED_BUDGET) break;
      out.push(line);
      used += line.length + 1;
      listed++;
    }
    if (c.requirements.length > listed) out.push(`- … and ${c.requirements.length - listed} more: \`sep-bot conformance <file> --traceability <yaml>\` lists every one.`);
    const extra = c.rows.filter((w) => !w.requirements.length);
    if (extra.length) {
      const named = capped(extra, MAX_EXTRA_ROWS, (w) => `${rowName(w.index)}${w.elsewhere ? ` (quotes [line ${w.elsewhere.line}](${lineLink(w.elsewhere.line, w.elsewhere.endLine)}))` : ""}`, (n) => `… and ${n} more`);
      out.push("", `Rows that trace nothing in the section (fine when they quote the specification documents): ${named}.`);
    }
    if (c.manifest.state === "read" && c.manifest.untracked.length) out.push("", `Checks the reference run emitted with no row: ${capped(c.manifest.untracked, MAX_UNTRACKED, (x) => `\`${safe(x, 80)}\``, (n) => `… and ${n} more`)}.`);
    out.push("", "</details>", "");
  }
  return out;
}

/** The command that moves a SEP to Final (`/final`). */
function finalCommand(rules: Rules): string {
  return Object.entries(rules.commands).find(([, c]) => c.does === "status" && c.to === rules.final.status)?.[0] ?? "status final";
}
