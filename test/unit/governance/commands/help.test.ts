import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { helpFor } from "../../../../src/governance/commands/actions/help.js";
import { commandsMarkdown, helpLine, usage } from "../../../../src/governance/commands/help.js";
import { roleMembers, peopleOf } from "../../../../src/governance/people/roles.js";
import { loadRules } from "../../../../src/rules/load.js";
import { parseSep } from "../../../../src/sep/parse.js";
import { rules } from "../../../helpers/sep.js";
import { snapshot } from "../../../helpers/snapshot.js";

/** /help and docs/commands.md are two views of one table: rules.commands. */

const FILE = readFileSync(new URL("../../../fixtures/maintainers/MAINTAINERS.md", import.meta.url), "utf8");
const sep = parseSep("# SEP-1933: X\n\n- **Status**: Draft\n- **Author(s)**: @pieter\n- **Sponsor**: @tess-type\n\n## Abstract\n\nx\n", "seps/1933-x.md", { rules });
const people = peopleOf(snapshot({ files: [], roles: roleMembers(rules, FILE, {}), pr: { assignees: ["tess-type"] } }), sep, null, rules);

describe("docs/commands.md", () => {
  it("is generated from the rules (run `npm run docs`)", () => {
    expect(readFileSync("docs/commands.md", "utf8")).toBe(commandsMarkdown(rules));
  });

  it("documents every command /help can offer, with the same usage and summary", () => {
    const docs = readFileSync("docs/commands.md", "utf8");
    for (const [name, command] of Object.entries(rules.commands)) {
      expect(docs).toContain(`| \`${usage(name, command).replace(/\|/g, "\\|")}\``);
      expect(docs).toContain(command.summary);
    }
  });
});

describe("/help", () => {
  it("lists exactly the commands this person may use, each line as the rules word it", () => {
    const lines = (login: string) => helpFor(login, people, rules).split("\n").filter((l) => l.startsWith("- "));
    const names = (login: string) => lines(login).map((l) => /`\/([a-z-]+)/.exec(l)![1]);
    expect(names("mallory")).toEqual(["check", "help"]);
    expect(names("pieter")).toEqual(["withdraw", "revive", "check", "fix", "help"]);
    // tess-type sponsors this SEP and is a maintainer too.
    expect(names("tess-type")).toEqual(["sponsor", "unsponsor", "status", "review", "final", "withdraw", "dormant", "revive", "supersede", "check", "fix", "track", "help"]);
    expect(names("lea-lead")).toEqual(["sponsor", "unsponsor", "status", "review", "accept", "reject", "final", "dormant", "revive", "supersede", "vote", "check", "fix", "track", "help"]);
    for (const line of lines("lea-lead")) {
      const name = /`\/([a-z-]+)/.exec(line)![1]!;
      expect(line).toBe(`- ${helpLine(rules, name, rules.commands[name]!)}`);
    }
  });

  it("a repository's aliases appear in both", () => {
    const aliased = loadRules([{ text: "commandAliases:\n  lgtm: accept\n", file: ".github/sep-bot.yml" }]);
    expect(helpFor("lea-lead", people, aliased)).toContain("(also `/lgtm`)");
    expect(commandsMarkdown(aliased)).toContain("| `/accept` (`/lgtm`) |");
  });
});
