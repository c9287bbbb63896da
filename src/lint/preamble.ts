import type { Field } from "../sep/model.js";
import { isPlaceholder, parsePr, plainValue, resolveStatus, resolveType, trailingNote } from "../sep/values.js";
import type { Lint, LintContext } from "./context.js";

function field(ctx: LintContext, id: string): Field | undefined {
  return ctx.sep.fields.find((f) => f.id === id);
}

/** Where to point when something is absent: the preamble, else the title. */
function preambleLine(ctx: LintContext): number {
  return ctx.sep.fields[0]?.line ?? (ctx.sep.titleHeading ? ctx.sep.titleHeading.endLine + 1 : 1);
}

/** Replaces a one-line value; null when the value spans lines or was reformatted. */
function valueEdit(f: Field, text: string) {
  if (f.line !== f.endLine) return undefined;
  return [{ line: f.line, column: f.valueColumn, endColumn: f.valueColumn + f.value.length, text }];
}

export const preamblePresent: Lint = (ctx) => {
  const { sep, report } = ctx;
  if (sep.fields.length > 0 || sep.problems.length > 0) return;
  report("preamble-missing", `No preamble found. Under the title, list the fields as in the template: \`- **Status**: Draft\`, \`- **Type**: ...\`, \`- **Created**: YYYY-MM-DD\`, \`- **Author(s)**: ...\`, \`- **Sponsor**: None\`, \`- **PR**: ...\`.`, { line: preambleLine(ctx) });
};

export const fieldsPresent: Lint = (ctx) => {
  const { sep, rules, report } = ctx;
  if (sep.fields.length === 0) return; // preamble-missing says it once
  for (const rule of rules.fields) {
    if (rule.required === "off" || field(ctx, rule.id)) continue;
    if (rule.legacyOptional && sep.legacy) continue;
    const name = rule.names[0];
    report("field-missing", `The preamble has no \`${name}\` field. Add \`- **${name}**: ...\` as in the template.`, { line: preambleLine(ctx) }, undefined, rule.required);
  }
  const seen = new Set<string>();
  for (const f of sep.fields) {
    const key = f.id ?? f.key.toLowerCase();
    if (seen.has(key)) report("field-duplicate", `\`${f.key}\` is given twice; the first one is used. Remove one.`, f);
    seen.add(key);
    if (f.id && f.id !== "sponsor" && plainValue(f.value) === "") report("field-empty", `\`${f.key}\` has no value. Fill it in as the template shows.`, f);
  }
};

const PLACEHOLDER_FIELDS = ["status", "type", "created", "authors", "sponsor"];

export const fieldPlaceholders: Lint = (ctx) => {
  for (const id of PLACEHOLDER_FIELDS) {
    const f = field(ctx, id);
    if (!f) continue;
    // "TBD" or "None" as a sponsor is a way of saying "none yet"; only the template's own text is left over.
    const leftOver = id === "sponsor" ? ctx.sep.sponsorState === "placeholder" : isPlaceholder(f.value);
    if (!leftOver) continue;
    ctx.report("field-placeholder", `\`${f.key}\` still holds the template's placeholder (\`${truncate(f.value)}\`). Fill in the real value.`, { line: f.line, column: f.valueColumn });
  }
};

export const statusValue: Lint = (ctx) => {
  const f = field(ctx, "status");
  if (!f || isPlaceholder(f.value) || plainValue(f.value) === "") return;
  const resolved = resolveStatus(f.value, ctx.rules);
  const choices = ctx.rules.statuses.map((s) => s.display).join(", ");
  if (!resolved || !("id" in resolved)) {
    ctx.report("status-invalid", `\`${truncate(f.value)}\` is not a SEP status. Use one of: ${choices}.`, { line: f.line, column: f.valueColumn });
    return;
  }
  const display = ctx.rules.statuses.find((s) => s.id === resolved.id)!.display;
  canonicalForm(ctx, f, display, "status-format", "Status");
};

export const typeValue: Lint = (ctx) => {
  const f = field(ctx, "type");
  if (!f || isPlaceholder(f.value) || plainValue(f.value) === "") return;
  const resolved = resolveType(f.value, ctx.rules);
  const choices = ctx.rules.types.map((t) => t.display).join(", ");
  if (!resolved || !("id" in resolved)) {
    ctx.report("type-invalid", `\`${truncate(f.value)}\` is not a SEP type. Use one of: ${choices}.`, { line: f.line, column: f.valueColumn });
    return;
  }
  const display = ctx.rules.types.find((t) => t.id === resolved.id)!.display;
  canonicalForm(ctx, f, display, "type-format", "Type");
};

/** `draft` -> `Draft`, `In Review` -> `In-Review`; a trailing "(note)" is kept. */
function canonicalForm(ctx: LintContext, f: Field, display: string, rule: "status-format" | "type-format", name: string) {
  const { core, note } = trailingNote(f.value);
  if (core === display) return;
  const text = `${display}${note}`;
  ctx.report(rule, `${name} \`${truncate(f.value)}\` should be written \`${display}\`.`, { line: f.line, column: f.valueColumn }, { description: `Write ${display}`, edits: valueEdit(f, text) });
}

export const dates: Lint = (ctx) => {
  const f = field(ctx, "created");
  const { sep } = ctx;
  if (!f || isPlaceholder(f.value) || plainValue(f.value) === "") return;
  if (sep.created === null) {
    ctx.report("date-invalid", `Created \`${truncate(f.value)}\` is not a date; write it as YYYY-MM-DD.`, { line: f.line, column: f.valueColumn });
    return;
  }
  // A day of slack: authors ahead of UTC write tomorrow's date.
  const tomorrow = new Date(ctx.now.getTime() + 24 * 3600 * 1000).toISOString().slice(0, 10);
  if (sep.created > tomorrow) {
    ctx.report("date-future", `Created ${sep.created} is in the future; use the date the SEP was first written.`, { line: f.line, column: f.valueColumn });
  }
};

export const people: Lint = (ctx) => {
  const { sep } = ctx;
  const authors = field(ctx, "authors");
  // A working group or team signs as a group; it has no personal handle to give.
  const group = /\b(working group|interest group|wg|ig|team|committee|maintainers|contributors|community)\b/i;
  const missing = sep.authors.filter((a) => !a.handle && !group.test(a.name ?? "")).map((a) => a.name ?? a.email ?? "?");
  if (authors && missing.length) {
    ctx.report(
      "author-handle-missing",
      `${missing.length === 1 ? "Author" : "Authors"} ${missing.map((n) => `\`${n}\``).join(", ")} ${missing.length === 1 ? "has" : "have"} no GitHub handle. Write \`Name (@handle)\` so reviewers and sep-bot can mention them.`,
      { line: authors.line, column: authors.valueColumn },
    );
  }
  const sponsor = field(ctx, "sponsor");
  const unnamed = sep.sponsors.filter((s) => !s.handle).map((s) => s.name ?? s.email ?? "?");
  if (sponsor && unnamed.length) {
    ctx.report("sponsor-handle-missing", `Sponsor ${unnamed.map((n) => `\`${n}\``).join(", ")} has no GitHub handle. Write \`Name (@handle)\`.`, { line: sponsor.line, column: sponsor.valueColumn });
  }
  const status = ctx.rules.statuses.find((s) => s.id === sep.status);
  // Issue-era SEPs had their sponsor on the issue; their files often say None.
  if (status?.sponsored && !sep.legacy && (sep.sponsorState === "none" || sep.sponsorState === "placeholder")) {
    ctx.report(
      "sponsor-required",
      `A SEP in ${status.display} needs a sponsor, but the Sponsor field names none. A maintainer sponsors a SEP before it moves past Draft: find one, or set the Status back to Draft.`,
      { line: (sponsor ?? field(ctx, "status"))!.line },
    );
  }
};

export const prField: Lint = (ctx) => {
  const f = field(ctx, "pr");
  if (!f || plainValue(f.value) === "") return;
  const pr = parsePr(f.value);
  if (pr === null) {
    ctx.report("pr-invalid", `PR \`${truncate(f.value)}\` does not name a pull request. Link it: \`https://github.com/<owner>/<repo>/pull/<number>\`.`, { line: f.line, column: f.valueColumn });
  } else if ("form" in pr && pr.form === "braces") {
    const text = f.value.replace(/\/(pulls?)\/\{(\d+)\}/, "/$1/$2");
    ctx.report("pr-format", `The PR link has braces around the number; write \`${truncate(text)}\`.`, { line: f.line, column: f.valueColumn }, { description: "Remove the braces", edits: valueEdit(f, text) });
  }
};

function truncate(text: string, max = 80): string {
  const clean = text.replace(/`/g, "'");
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}
