import { writeFileSync } from "node:fs";
import { rulesMarkdown } from "../src/lint/docs.js";
import { defaultRules } from "../src/rules/load.js";

writeFileSync(new URL("../docs/rules.md", import.meta.url), rulesMarkdown(defaultRules()));
