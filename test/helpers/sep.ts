import { defaultRules } from "../../src/rules/load.js";
import { lintSep } from "../../src/lint/index.js";
import { parseSep } from "../../src/sep/parse.js";

export const rules = defaultRules();
export const NOW = new Date("2026-11-21T12:00:00Z");

/** A clean SEP in the template's bullet style; `overrides` replace preamble values or whole parts. */
export function sepText(o: {
  heading?: string;
  preamble?: string;
  status?: string;
  type?: string;
  created?: string;
  authors?: string;
  sponsor?: string;
  pr?: string;
  sections?: string;
} = {}): string {
  const preamble =
    o.preamble ??
    [
      `- **Status**: ${o.status ?? "Draft"}`,
      `- **Type**: ${o.type ?? "Standards Track"}`,
      `- **Created**: ${o.created ?? "2026-01-15"}`,
      `- **Author(s)**: ${o.authors ?? "Ada Lovelace (@ada)"}`,
      `- **Sponsor**: ${o.sponsor ?? "Grace Hopper (@grace)"}`,
      `- **PR**: ${o.pr ?? "https://github.com/modelcontextprotocol/modelcontextprotocol/pull/2234"}`,
    ].join("\n");
  return `${o.heading ?? "# SEP-2234: Streaming Widgets"}\n\n${preamble}\n\n${o.sections ?? SECTIONS}`;
}

export const SECTIONS = [
  "## Abstract\n\nWidgets stream.",
  "## Motivation\n\nThey do not today.",
  "## Specification\n\nA `widgets/stream` method.",
  "## Rationale\n\nSimplest design.",
  "## Backward Compatibility\n\nAdditive.",
  "## Security Implications\n\nNone beyond rate limits.",
  "## Reference Implementation\n\nA branch in the TypeScript SDK.",
].join("\n\n") + "\n";

export function check(text: string, path = "seps/2234-streaming-widgets.md") {
  const sep = parseSep(text, path, { rules });
  return { sep, findings: lintSep(sep, rules, { now: NOW }) };
}

export function ruleIds(text: string, path?: string): string[] {
  return check(text, path).findings.map((f) => f.rule);
}
