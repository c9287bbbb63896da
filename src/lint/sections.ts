import type { SectionRule } from "../rules/schema.js";
import type { Heading } from "../sep/model.js";
import type { Lint, LintContext } from "./context.js";

/**
 * The template's level-2 sections: present, spelled as in the template, at
 * level 2, in order, not empty, not twice. A near miss ("Backwards
 * Compatibility", "### Abstract") gets one "did you mean" finding instead of
 * a "missing" one.
 */

/** "1. Security Considerations:" -> "security considerations" */
export function normaliseTitle(text: string): string {
  return text
    .replace(/[*_`]/g, "")
    .replace(/^\s*(?:\d+(?:\.\d+)*[.)]?|[IVX]+\.|[A-Z]\.)\s+/, "")
    .replace(/[:.]\s*$/, "")
    .replace(/\s+/g, " ")
    .trim()
    .toLowerCase();
}

/** Levenshtein distance, bounded: returns max+1 as soon as it is exceeded. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      cur.push(value);
      if (value < best) best = value;
    }
    if (best > max) return max + 1;
    prev = cur;
  }
  return prev[b.length]!;
}

type Match = { rule: SectionRule; exact: boolean };

/**
 * Which template section a heading is: its title, an alias, a typo of it
 * (edit distance <= 2) or, with `affixes`, the title with words around it
 * ("Specification Changes", "TODO: Security Implications").
 */
export function matchSection(text: string, sections: readonly SectionRule[], affixes = false): Match | null {
  if (text.length > 200) return null; // no template heading is that long
  const title = normaliseTitle(text);
  if (!title) return null;
  for (const rule of sections) if (title === rule.title.toLowerCase()) return { rule, exact: text.trim() === rule.title };
  for (const rule of sections) if (rule.aliases.some((a) => a.toLowerCase() === title)) return { rule, exact: false };
  for (const rule of sections) {
    const target = rule.title.toLowerCase();
    if (target.length >= 6 && editDistance(title, target, 2) <= 2) return { rule, exact: false };
  }
  if (affixes) {
    for (const rule of sections) {
      const target = rule.title.toLowerCase();
      if (title.startsWith(`${target} `) || title.endsWith(` ${target}`)) return { rule, exact: false };
    }
  }
  return null;
}

function requiredFor(ctx: LintContext): SectionRule[] {
  const type = ctx.rules.types.find((t) => t.id === ctx.sep.type);
  const omit = new Set(type?.omitSections ?? []);
  return ctx.rules.sections.filter((s) => s.required && !omit.has(s.id));
}

function headingEdit(h: Heading, depth: number, title: string) {
  return [{ line: h.line, column: h.column, endColumn: h.textColumn + h.text.length, text: `${"#".repeat(depth)} ${title}` }];
}

export const sections: Lint = (ctx) => {
  const { sep, rules, report } = ctx;
  if (sep.problems.some((p) => p.rule !== "front-matter-invalid")) return; // nothing was read
  const found = new Map<string, Heading>();
  const ordered: Array<{ rule: SectionRule; heading: Heading }> = [];

  for (const heading of sep.headings) {
    if (heading.depth !== 2) continue;
    const match = matchSection(heading.text, rules.sections, true);
    if (!match) continue;
    const { rule } = match;
    if (found.has(rule.id)) {
      report("section-duplicate", `\`## ${rule.title}\` appears again here (first at line ${found.get(rule.id)!.line}). Merge the two.`, heading);
      continue;
    }
    found.set(rule.id, heading);
    ordered.push({ rule, heading });
    if (!match.exact) {
      const setext = heading.line !== heading.endLine;
      report(
        "section-spelling",
        `\`${heading.text}\`: did you mean \`## ${rule.title}\`? The template's heading lets readers and tools find the section.`,
        heading,
        setext ? undefined : { description: `Rename the heading to ${rule.title}`, edits: headingEdit(heading, 2, rule.title) },
      );
    }
  }

  // A required section written at another level counts as a near miss, not as missing.
  for (const rule of requiredFor(ctx)) {
    if (found.has(rule.id)) continue;
    const misplaced = sep.headings.find((h) => h.depth !== 2 && h !== sep.titleHeading && matchSection(h.text, [rule]) !== null);
    if (misplaced) {
      report(
        "section-level",
        `\`${"#".repeat(misplaced.depth)} ${misplaced.text}\` is a level-${misplaced.depth} heading; did you mean \`## ${rule.title}\`? Template sections are level 2.`,
        misplaced,
        misplaced.line === misplaced.endLine ? { description: `Make it ## ${rule.title}`, edits: headingEdit(misplaced, 2, rule.title) } : undefined,
      );
      continue;
    }
    const typeName = rules.types.find((t) => t.id === sep.type)?.display;
    const after = [...ordered].filter((o) => rules.sections.indexOf(o.rule) < rules.sections.indexOf(rule)).pop();
    const line = after ? sectionEnd(sep.sections, after.heading.line) : (sep.sections[0]?.line ?? Math.max(sep.lineCount, 1));
    report(
      "section-missing",
      `There is no \`## ${rule.title}\` section; the template requires it${typeName ? ` for ${typeName} SEPs` : ""}. Add it${rule.id === "backward-compatibility" || rule.id === "security-implications" ? ", and if there are none, say so in one sentence" : ""}.`,
      { line },
    );
  }

  orderFindings(ctx, ordered.filter((o) => o.rule.required));

  for (const section of sep.sections) {
    if (section.contentLines > 0) continue;
    if (!matchSection(section.title, rules.sections)) continue; // only template sections must have text
    report("section-empty", `\`## ${section.title}\` has no content. Write it, or say why it does not apply.`, section);
  }
};

function sectionEnd(all: ReadonlyArray<{ line: number; endLine: number }>, line: number): number {
  return all.find((s) => s.line === line)?.endLine ?? line;
}

/** Out-of-order sections: those outside the longest run already in template order. */
function orderFindings(ctx: LintContext, present: Array<{ rule: SectionRule; heading: Heading }>) {
  const ranks = present.map((p) => ctx.rules.sections.indexOf(p.rule));
  // O(n^2) longest increasing subsequence: n is at most a dozen sections.
  const length = ranks.map(() => 1);
  const previous = ranks.map(() => -1);
  for (let i = 0; i < ranks.length; i++) {
    for (let j = 0; j < i; j++) {
      if (ranks[j]! < ranks[i]! && length[j]! + 1 > length[i]!) {
        length[i] = length[j]! + 1;
        previous[i] = j;
      }
    }
  }
  let end = length.indexOf(Math.max(0, ...length));
  const keep = new Set<number>();
  while (end !== -1) {
    keep.add(end);
    end = previous[end]!;
  }
  const order = ctx.rules.sections.filter((s) => s.required).map((s) => s.title).join(", ");
  present.forEach((p, i) => {
    if (keep.has(i)) return;
    ctx.report("section-order", `\`## ${p.rule.title}\` is out of the template's order (${order}). Move it so reviewers find sections where they expect them.`, p.heading);
  });
}

export const templateText: Lint = ({ sep, report }) => {
  for (const hit of sep.templateText) {
    report("template-text", `This is the template's instruction ("${hit.text}"). Replace it with the SEP's own text.`, hit);
  }
};
