import { writeFileSync } from "node:fs";
import { rulesMarkdown } from "../src/lint/docs.js";
import { commandsMarkdown } from "../src/governance/commands/help.js";
import { defaultRules } from "../src/rules/load.js";

// `npm run docs`: the reference pages people read, from the code and rules that enforce them.
writeFileSync(new URL("../docs/rules.md", import.meta.url), rulesMarkdown(defaultRules()));
writeFileSync(new URL("../docs/commands.md", import.meta.url), commandsMarkdown(defaultRules()));
