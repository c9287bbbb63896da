import type { Lint } from "./context.js";

/** Problems met while reading (size, encoding, front matter) become findings as they are. */
export const readProblems: Lint = ({ sep, report }) => {
  for (const problem of sep.problems) report(problem.rule, problem.message, problem);
};

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** `<number>-<slug>.md`, with a lowercase, hyphenated slug. */
export const fileName: Lint = ({ sep, report }) => {
  if (sep.fileNumberRaw === null || sep.slug === null) {
    report("file-name", `The file name \`${sep.fileName}\` should be \`<number>-<slug>.md\`, e.g. \`0000-my-feature.md\` until the PR exists.`, { line: 1 });
    return;
  }
  if (!SLUG.test(sep.slug)) {
    const slug = sep.slug
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "");
    if (!slug) return;
    const to = `${sep.fileNumberRaw}-${slug}.md`;
    report("file-name-case", `The slug in \`${sep.fileName}\` should be lowercase words joined by hyphens: \`${to}\`.`, { line: 1 }, { description: `Rename to ${to}`, rename: to });
  }
};
