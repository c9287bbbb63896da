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
 */

/** Requirements listed in the comment; the command line lists them all. */
const MAX_LISTED = 60;

const MARK: Record<ItemState, string> = { done: "✅", missing: "⬜", confirm: "⚠️", unknown: "❔", "not-needed": "➖" };

/** Our own words with the file's bits in them: no HTML, no mentions. */
const quiet = (text: string) => text.replace(/[<>]/g, " ").replace(/@/g, "@\u200b");

export function roadToFinal(readiness: Readiness, rules: Rules, snapshot: Snapshot, path: string): string[] {
  const { pr, repo } = snapshot;
  const c = readiness.conformance;
  const lineLink = (line: number, end = line) => markdownUrl(`https://github.com/${repo.owner}/${repo.name}/blob/${pr.headSha}/${path}#L${line}${end > line ? `-L${end}` : ""}`);
  const rowLink = (line: number | null) => (c.file.url && line ? markdownUrl(`${c.file.url}#L${line}`) : null);
  const out = ["**Road to Final**", ""];
  for (const item of readiness.items) {
    const file = item.id === "conformance" && c.file.url && c.file.state !== "absent" ? ` ([\`${c.file.path}\`](${markdownUrl(c.file.url)}))` : "";
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
    const shown = [...c.requirements].sort((a, b) => order[a.coverage] - order[b.coverage] || a.line - b.line).slice(0, MAX_LISTED);
    for (const r of shown) {
      const at = `[line ${r.line}](${lineLink(r.line, r.endLine)}) ${r.keyword}`;
      if (r.coverage === "none") {
        const closest = r.closest ? ` Closest: ${rowName(r.closest.row)}.` : "";
        const candidates = r.candidates.map((x) => ` The manifest's untracked check \`${safe(x, 80)}\` may trace it.`).join("");
        out.push(`- ${at}, **no row**: "${safe(r.text, 160)}"${closest}${candidates}`);
      } else out.push(`- ${at}: ${r.rows.map(rowName).join(", ")}${r.coverage === "partial" ? ` ⚠️ ${quiet(r.notes.join("; "))}: confirm` : ""}`);
    }
    if (c.requirements.length > shown.length) out.push(`- … and ${c.requirements.length - shown.length} more: \`sep-bot conformance <file> --traceability <yaml>\` lists every one.`);
    const extra = c.rows.filter((w) => !w.requirements.length).slice(0, MAX_LISTED);
    if (extra.length) {
      out.push("", `Rows that trace nothing in the section (fine when they quote the specification documents): ${extra.map((w) => `${rowName(w.index)}${w.elsewhere ? ` (quotes [line ${w.elsewhere.line}](${lineLink(w.elsewhere.line, w.elsewhere.endLine)}))` : ""}`).join(", ")}.`);
    }
    if (c.manifest.state === "read" && c.manifest.untracked.length) out.push("", `Checks the reference run emitted with no row: ${c.manifest.untracked.map((x) => `\`${safe(x, 80)}\``).join(", ")}.`);
    out.push("", "</details>", "");
  }
  return out;
}

/** The command that moves a SEP to Final (`/final`). */
function finalCommand(rules: Rules): string {
  return Object.entries(rules.commands).find(([, c]) => c.does === "status" && c.to === rules.final.status)?.[0] ?? "status final";
}
