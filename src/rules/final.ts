import { z } from "zod";

/**
 * `final:` in the rules: what the road from Accepted to Final asks (the
 * guidelines' step 9 and SEP-2484's conformance requirement), where the
 * pull request's specification changes and the conformance repository's
 * files are, and how the Specification section is read.
 */

const NonEmpty = z.string().trim().min(1);
const Slug = z.string().regex(/^[a-z][a-z0-9-]*$/, "must be a lowercase id like `standards-track`");
const Repo = z.string().regex(/^[\w.-]+\/[\w.-]+$/, "must be `owner/name`");
/** A folder or file in a repository, relative, no `..`. */
const RepoPath = z.string().regex(/^(?!\/)(?!.*(^|\/)\.\.(\/|$))[^\0]+$/, "must be a path inside the repository");
const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date like 2026-06-01");

export const ConformanceRuleSchema = z.strictObject({
  /** The conformance repository (public ones need no installation there), and the branch or tag read. */
  repo: Repo,
  ref: NonEmpty.default("HEAD"),
  /** The folder of traceability files, and the file of a SEP in it (`{number}`: the SEP number, unpadded). */
  folder: RepoPath,
  file: NonEmpty.default("sep-{number}.yaml"),
  /** The manifest a run against the reference SDK writes: tested and untested checks, untracked ones. */
  manifest: RepoPath.nullable().default(null),
  /** The rule's start: a SEP that reached Final before this day is not held to it (the rule is not retroactive). */
  since: IsoDate,
  /** Types held to it (the others are exempt: Process, Informational). */
  types: z.array(Slug).default(["standards-track"]),
  /**
   * How a SEP says it has no observable protocol behaviour (then it is
   * exempt): a sentence holding one of these phrases (case and hyphens
   * ignored, "behaviour" read as "behavior").
   */
  noObservableBehavior: z.array(NonEmpty).default([]),
  /**
   * An exclusion needs a tracking issue when the framework cannot yet test
   * the requirement. Its reason with one of `gap` reads as such a gap (an
   * issue is then required); with one of `unobservable` (and no `gap`) as
   * behaviour no harness could observe (no issue needed); with neither, the
   * sponsor is asked. Phrases, case-insensitive.
   */
  exclusions: z
    .strictObject({
      gap: z.array(NonEmpty).default([]),
      unobservable: z.array(NonEmpty).default([]),
    })
    .default({ gap: [], unobservable: [] }),
});

export const FinalRuleSchema = z.strictObject({
  /** The status the road leads to, and the statuses it is shown in (the status comment's checklist, the digest, the site). */
  status: Slug.default("final"),
  from: z.array(Slug).default(["accepted"]),
  /** The section (id in `sections`) whose requirements are traced; its title, aliases, and titles starting with them ("Specification Changes"). */
  section: Slug.default("specification"),
  /** How fenced code in it is read: proposed text (markdown), diffs (added lines), schema code (doc comments), JSON (descriptions); other languages are examples. */
  fences: z
    .strictObject({
      prose: z.array(z.string().transform((s) => s.toLowerCase())).default([]),
      diff: z.array(z.string().transform((s) => s.toLowerCase())).default([]),
      comments: z.array(z.string().transform((s) => s.toLowerCase())).default([]),
      json: z.array(z.string().transform((s) => s.toLowerCase())).default([]),
    })
    .prefault({}),
  /** The section (id) whose links are the reference implementation. */
  referenceImplementation: Slug.default("reference-implementation"),
  /** The pull request's specification changes: path prefixes of the draft documents and the schema, and the changelog file. */
  specification: z.array(RepoPath).default([]),
  schema: z.array(RepoPath).default([]),
  changelog: RepoPath.nullable().default(null),
  /** Types whose pull request must carry the specification changes and a changelog entry. */
  changesFor: z.array(Slug).default(["standards-track"]),
  conformance: ConformanceRuleSchema.nullable().default(null),
  /** Who may move a SEP to Final with items still open (`/final override <why>`), recorded with their reason. */
  overrideBy: z.array(Slug).default(["maintainer"]),
});
export type FinalRules = z.infer<typeof FinalRuleSchema>;
export type ConformanceRules = z.infer<typeof ConformanceRuleSchema>;
