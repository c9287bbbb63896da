/**
 * sep-bot as a library: read a SEP, lint it, load the rules. The same
 * functions the bot and `sep-bot check` use; pure, no GitHub.
 *
 *   import { parseSep, lintSep, defaultRules } from "sep-bot";
 *   const rules = defaultRules();
 *   const findings = lintSep(parseSep(text, "seps/1234-x.md", { rules }), rules);
 */
export { parseSep } from "./sep/parse.js";
export type { Sep, Person, Field, Section, Heading } from "./sep/model.js";
export { lintSep } from "./lint/index.js";
export type { Finding, Fix } from "./lint/finding.js";
export type { Edit } from "./sep/edit.js";
export { RULES as RULE_CATALOG, type RuleId } from "./shared/rule-ids.js";
export { defaultRules, loadRules, RulesError } from "./rules/load.js";
export type { Rules } from "./rules/schema.js";
