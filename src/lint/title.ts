import { NUMBER_PLACEHOLDER, parsePr } from "../sep/values.js";
import type { Lint } from "./context.js";

const PLACEHOLDER_NUMBER = new RegExp(`^(${NUMBER_PLACEHOLDER})$`, "i");
// A placeholder number is number-placeholder's business, not a format problem.
const CANONICAL_TITLE = new RegExp(`^SEP-(\\d+|${NUMBER_PLACEHOLDER}): \\S`, "i");

/** `# SEP-<number>: Title` as the first heading. */
export const titleFormat: Lint = ({ sep, report }) => {
  const heading = sep.titleHeading;
  if (!heading) {
    if (sep.preambleStyle === "front-matter" && sep.title) return; // the title lives in front matter
    report("title-format", "The file should start with a title heading `# SEP-<number>: Title`.", { line: 1 });
    return;
  }
  if (CANONICAL_TITLE.test(heading.text) && heading.depth === 1) return;
  const number = sep.number ?? sep.fileNumber;
  const expected = sep.title ? `# SEP-${number ?? "{NUMBER}"}: ${sep.title}` : null;
  const line = heading.line;
  const current = `${"#".repeat(heading.depth)} ${heading.text}`;
  report(
    "title-format",
    `The title heading \`${current.length > 120 ? `${current.slice(0, 119)}…` : current}\` should read \`# SEP-<number>: Title\`${expected ? `: \`${expected}\`` : ""}.`,
    { line, column: heading.column },
    expected && heading.line === heading.endLine
      ? { description: `Write the heading as ${expected}`, edits: [{ line, column: heading.column, endColumn: heading.textColumn + heading.text.length, text: expected }] }
      : undefined,
  );
};

/** The number is a placeholder until the PR exists; then it is the PR number. */
export const numberPlaceholder: Lint = ({ sep, report }) => {
  const where: string[] = [];
  if (sep.fileNumberRaw !== null && PLACEHOLDER_NUMBER.test(sep.fileNumberRaw)) where.push("file name");
  if (sep.numberRaw !== null && PLACEHOLDER_NUMBER.test(sep.numberRaw)) where.push("heading");
  const prField = sep.fields.find((f) => f.id === "pr");
  const pr = prField ? parsePr(prField.value) : null;
  if (pr && "placeholder" in pr) where.push("PR field");
  if (where.length === 0) return;
  report(
    "number-placeholder",
    `The SEP number is still a placeholder in the ${where.join(", ")}. Once the pull request is open its number becomes the SEP number; sep-bot renames the file and fills these in.`,
    { line: sep.titleHeading?.line ?? 1 },
  );
};

/** File name, heading and PR field must name the same number. */
export const numberMismatch: Lint = ({ sep, report }) => {
  const file = sep.fileNumber;
  const heading = sep.number;
  if (file !== null && heading !== null && file !== heading && sep.titleHeading) {
    report(
      "number-mismatch",
      `The heading says SEP-${heading} but the file name says ${file}. The SEP number is the pull request's number; make both say it.`,
      { line: sep.titleHeading.line, column: sep.titleHeading.column },
    );
  }
  // Issue-era SEPs carry the number of their issue; their PR field names another PR.
  if (sep.legacy || sep.pr === null) return;
  const own = file ?? heading;
  const prField = sep.fields.find((f) => f.id === "pr");
  if (own !== null && sep.pr !== own && prField) {
    report(
      "number-mismatch",
      `The PR field points to #${sep.pr} but this is SEP-${own}. The PR field should link the pull request that proposes this SEP (#${own}).`,
      { line: prField.line, column: prField.column },
    );
  }
};
