/**
 * Every lint the bot reports, with a stable ID. IDs never change meaning once
 * released: configs, CI annotations and people's muscle memory refer to them.
 * `docs/rules.md` is generated from this list (test/unit/lint/catalog.test.ts keeps
 * them in step).
 */
export const RULES = {
  "file-too-large": "The file is larger than limits.maxFileBytes; it is not parsed.",
  "file-encoding": "The file is not valid UTF-8 text (binary bytes or invalid sequences).",
  "file-empty": "The file has no content.",
  "file-not-regular": "The SEP's path holds a symbolic link or a submodule, not a file; sep-bot neither reads nor changes it.",
  "file-name": "The file name is not `<number>-<slug>.md`.",
  "file-name-case": "The slug in the file name is not lowercase.",
  "front-matter-invalid": "YAML front matter cannot be read, or uses a non-data language.",
  "preamble-missing": "No preamble (bullet list, table, bold lines or front matter) was found.",
  "field-missing": "A required preamble field is absent.",
  "field-placeholder": "A preamble field still holds the template's placeholder.",
  "field-duplicate": "A preamble field is given twice; the first is used.",
  "field-empty": "A preamble field has no value.",
  "status-invalid": "The Status is not one of the statuses in rules.",
  "status-format": "The Status is recognised but not written in its canonical form.",
  "type-invalid": "The Type is not one of the types in rules.",
  "type-format": "The Type is recognised but not written in its canonical form.",
  "date-invalid": "A date is not a real YYYY-MM-DD date.",
  "date-future": "The Created date is in the future.",
  "author-handle-missing": "An author has no GitHub handle (@login), so the bot cannot mention them.",
  "sponsor-handle-missing": "A sponsor has no GitHub handle (@login).",
  "sponsor-required": "The Status needs a sponsor but the SEP names none.",
  "sponsor-unknown": "The Sponsor field names a handle that is not a maintainer (a near miss of one, or someone else).",
  "pr-invalid": "The PR field does not name a pull request.",
  "pr-format": "The PR field names a pull request in a non-canonical form.",
  "title-format": "The title heading is not `# SEP-<number>: Title`.",
  "number-mismatch": "The file name, heading and PR field disagree on the SEP number.",
  "number-placeholder": "The SEP number is still a placeholder (0000, {NUMBER}); it becomes the PR number.",
  "section-missing": "A section the template requires for this type of SEP is absent.",
  "section-order": "Required sections are not in the template's order.",
  "section-empty": "A section has a heading but no content.",
  "section-duplicate": "The same section appears twice.",
  "section-spelling": "A section heading is a near miss of the template's heading.",
  "section-level": "A template section is written at the wrong heading level.",
  "template-text": "Instructions from the template were left in the text.",
  "sep-multiple": "The pull request adds more than one new SEP.",
  "status-change-unauthorised": "The Status was changed by someone who is not the sponsor or a maintainer.",
  "rename-pending": "The file still has to be renamed to the pull request's number.",
  "status-transition-invalid": "The Status was moved by a step the lifecycle does not allow (Draft to Final, say), or before its requirements were met.",
  "status-update-pending": "The sponsor or a maintainer set a status the file does not show yet (the bot could not push it).",
  "final-incomplete": "The Status was set to Final while the road to Final is incomplete: reference implementation, specification changes, changelog entry or conformance traceability.",
} as const;

export type RuleId = keyof typeof RULES;
export const RULE_IDS = Object.keys(RULES) as [RuleId, ...RuleId[]];
