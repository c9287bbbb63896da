import { describe, expect, it } from "vitest";
import { defaultRules, loadRules, RulesError } from "../../../src/rules/load.js";

const load = (text: string) => loadRules([{ text, file: ".github/sep-bot.yml" }]);
const errorOf = (text: string) => {
  try {
    load(text);
  } catch (error) {
    expect(error).toBeInstanceOf(RulesError);
    return (error as RulesError).message;
  }
  throw new Error("expected a RulesError");
};

describe("rules", () => {
  it("the bundled policy is valid and has the SEP process's statuses and sections", () => {
    const rules = defaultRules();
    expect(rules.statuses.map((s) => s.id)).toEqual(["proposal", "draft", "in-review", "accepted", "rejected", "withdrawn", "final", "superseded", "dormant"]);
    expect(rules.sections.filter((s) => s.required).map((s) => s.title)).toEqual(["Abstract", "Motivation", "Specification", "Rationale", "Backward Compatibility", "Security Implications", "Reference Implementation"]);
    expect(rules.sepDirectory).toBe("seps");
  });

  it("an override merges mappings key by key and replaces lists", () => {
    const rules = load("limits:\n  maxFileBytes: 2000\nexclude: [README.md]\nseverities:\n  section-order: 'off'\n");
    expect(rules.limits).toEqual({ maxFileBytes: 2000, maxFrontMatterBytes: 65536, maxYamlAliases: 20 });
    expect(rules.exclude).toEqual(["README.md"]);
    expect(rules.severities["section-order"]).toBe("off");
    expect(rules.severities["section-missing"]).toBe("error");
  });

  it.each([
    ["an unknown top-level key", "colour: red\n", "colour: unknown key; allowed: version, sepDirectory"],
    ["a misspelled rule id", "severities:\n  section-mising: error\n", "severities.section-mising: unknown key; allowed: file-too-large"],
    ["a wrong severity", "severities:\n  section-order: loud\n", 'severities.section-order: Invalid option: expected one of "error"|"warning"|"info"|"off"'],
    ["an unknown nested key", "limits:\n  maxFileByte: 3\n", "limits.maxFileByte: unknown key; allowed: maxFileBytes, maxFrontMatterBytes, maxYamlAliases"],
    ["a section a type cannot omit", "types:\n  - { id: process, display: Process, omitSections: [nope] }\n", "types.0.omitSections.0: unknown section `nope`"],
    ["a directory escaping the repository", "sepDirectory: ../etc\n", "sepDirectory:"],
    ["invalid YAML", "a: [\n", ".github/sep-bot.yml: invalid rules"],
    ["a YAML list at the top", "- a\n", "the file must be a YAML mapping"],
    ["a sweep schedule croner rejects", 'sweep:\n  schedule: "61 9 * * 1"\n', "sweep.schedule: must be a cron expression of five fields (UTC), like `0 9 * * 1` for Mondays 09:00: Invalid value for minute: 61"],
    ["a sweep schedule with seconds", 'sweep:\n  schedule: "0 0 9 * * 1"\n', "sweep.schedule: must be a cron expression of five fields"],
    ["a project option for an unknown state", "project: { owner: o, number: 1, field: Status, options: { reviewing: In Review } }\n", "project.options.reviewing: unknown status `reviewing`"],
  ])("%s is an error naming the file and key", (_name, text, expected) => {
    const message = errorOf(text);
    expect(message).toContain(".github/sep-bot.yml");
    expect(message).toContain(expected);
  });

  it("__proto__ in an override pollutes nothing", () => {
    load("__proto__:\n  polluted: true\n");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
