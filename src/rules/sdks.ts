import { z } from "zod";

/**
 * `sdks:` in the rules: the SDK repositories that implement accepted SEPs,
 * which of them get a tracking issue per SEP, the labels and texts of those
 * issues and of the umbrella issue in this repository, and how a SEP's
 * target specification release is read. `sdks: null` turns it all off.
 */

const NonEmpty = z.string().trim().min(1);
const Slug = z.string().regex(/^[a-z][a-z0-9-]*$/, "must be a lowercase id like `standards-track`");
const Repo = z.string().regex(/^[\w.-]+\/[\w.-]+$/, "must be `owner/name`");
const RepoPath = z.string().regex(/^(?!\/)(?!.*(^|\/)\.\.(\/|$))[^\0]+$/, "must be a path inside the repository");
const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date like 2026-07-14");
const Tier = z.number().int().min(1).max(9);
/** A regular expression from the rules (maintainers write them, on the default branch). */
const Pattern = z.string().refine((p) => {
  try {
    new RegExp(p);
    return true;
  } catch {
    return false;
  }
}, "must be a regular expression");
/** An issue title that names the SEP: sep-bot finds its own issues again by `SEP-{number}` in their titles. */
const TitleTemplate = NonEmpty.refine((t) => t.includes("SEP-{number}"), "must contain `SEP-{number}` (sep-bot finds its issues by it)");

export const SdkEntrySchema = z.strictObject({
  repo: Repo,
  name: NonEmpty,
  tier: Tier.nullable().default(null),
});
export type SdkEntry = z.infer<typeof SdkEntrySchema>;

export const SdksRuleSchema = z.strictObject({
  /** A file of this repository (default branch) whose table lists the SDKs: repository links and `Tier N` badges. */
  file: RepoPath.nullable().default(null),
  /** Or the SDKs, listed here (used as well as the file's; the same repository here wins). */
  list: z.array(SdkEntrySchema).default([]),
  /** The tiers that get an issue per SEP, and those that must be done for the SEP to count as implemented. */
  tiers: z.array(Tier).default([1]),
  required: z.array(Tier).default([1]),
  /** SEP types that need SDK work (a maintainer can still say a SEP or an SDK needs none: `/track none`, `/track skip`). */
  types: z.array(Slug).default(["standards-track"]),
  labels: z
    .strictObject({
      /** On each SDK issue (the release's label is added when the SEP has one, see `release.labelSdkIssues`). */
      sdk: z.array(NonEmpty).default([]),
      /** On the umbrella issue in this repository. */
      umbrella: z.array(NonEmpty).default([]),
    })
    .prefault({}),
  /** The SEP's target specification version: a milestone or a label of its pull request whose name matches `pattern`. */
  release: z
    .strictObject({
      from: z.array(z.enum(["milestone", "label"])).default(["milestone", "label"]),
      pattern: Pattern.default("^\\d{4}-\\d{2}-\\d{2}$"),
      /** SDK issues carry the release's name as a label, as the repository's hand-filed ones did. */
      labelSdkIssues: z.boolean().default(true),
    })
    .prefault({}),
  /** Releases' dates: the release candidate and the release (a release named by a date is released that day unless said here). */
  releases: z.record(NonEmpty, z.strictObject({ candidate: IsoDate.nullable().default(null), release: IsoDate.nullable().default(null) })).default({}),
  /** What each tier owes a release, in days after its candidate or its release (SEP-1730). */
  deadlines: z.record(z.string().regex(/^\d$/, "a tier number"), z.strictObject({ after: z.enum(["candidate", "release"]), days: z.number().int().min(0).max(3650) })).default({}),
  /** The issues' words. {number}, {title}, {url} (the SEP's pull request), {release}, {forRelease} (" for the 2026-07-28 MCP spec release", or nothing). */
  texts: z
    .strictObject({
      sdkTitle: TitleTemplate.default("Implement SEP-{number}: {title}"),
      sdkBody: NonEmpty.default("Tracking implementation of [SEP-{number}]({url}){forRelease}."),
      umbrellaTitle: TitleTemplate.default("(implementation): SEP-{number} - {title}"),
    })
    .prefault({}),
  /** The maintainers file's section whose subsections name each SDK's maintainers (`### TypeScript SDK`); null: none. */
  maintainersSection: NonEmpty.nullable().default(null),
  /** An SDK repository sep-bot could not write to is tried again after this many days (or at the next `/track`). */
  retryNoAccessDays: z.number().int().min(1).default(7),
});
export type SdkRules = z.infer<typeof SdksRuleSchema>;
