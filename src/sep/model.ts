import { z } from "zod";
import { RULE_IDS } from "../shared/rule-ids.js";

/**
 * The typed model of one SEP file. Everything a later stage needs (linter,
 * status machine, renamer, digest) is here, with the 1-based line and column
 * where it was read, so findings can point at the exact place.
 * Unknown or missing values are `null`: the parser never invents one.
 */

const Line = z.number().int().min(1);
const Column = z.number().int().min(1);

export const PreambleStyleSchema = z.enum(["bullets", "table", "bold-lines", "front-matter", "none"]);
export type PreambleStyle = z.infer<typeof PreambleStyleSchema>;

/** One `- **Key**: value` entry (or table row, bold line, front matter key) as written. */
export const FieldSchema = z.object({
  key: z.string(), // as written: "Author(s)"
  id: z.string().nullable(), // canonical field id from rules ("authors"), null for extras
  value: z.string(), // continuation lines joined with a space, trimmed
  line: Line,
  column: Column,
  endLine: Line,
  valueColumn: Column,
  /** Front matter: where a one-line scalar value stands as written (quotes included), so it can be rewritten in place. */
  yamlValue: z.object({ line: Line, column: Column, endColumn: Column }).optional(),
});
export type Field = z.infer<typeof FieldSchema>;

export const PersonSchema = z.object({
  name: z.string().nullable(),
  handle: z.string().nullable(), // GitHub login without "@"
  email: z.string().nullable(),
});
export type Person = z.infer<typeof PersonSchema>;

export const HeadingSchema = z.object({
  depth: z.number().int().min(1).max(6),
  text: z.string(),
  line: Line,
  column: Column, // of the first `#` (ATX) or of the text (setext)
  textColumn: Column, // where the heading's text starts, for precise fixes
  endLine: Line,
});
export type Heading = z.infer<typeof HeadingSchema>;

/** A level-2 section: from its heading to the line before the next heading of level 1 or 2. */
export const SectionSchema = z.object({
  title: z.string(),
  line: Line,
  column: Column,
  endLine: Line,
  contentLines: z.number().int().min(0), // non-blank lines that are not headings or comments
});
export type Section = z.infer<typeof SectionSchema>;

/** A problem met while reading the file (size, encoding, front matter); the linter reports it. */
export const ReadProblemSchema = z.object({
  rule: z.enum(RULE_IDS),
  message: z.string(),
  line: Line,
  column: Column,
});
export type ReadProblem = z.infer<typeof ReadProblemSchema>;

export const SponsorStateSchema = z.enum(["named", "none", "placeholder", "missing"]);
export type SponsorState = z.infer<typeof SponsorStateSchema>;

export const SepSchema = z.object({
  path: z.string(),
  fileName: z.string(),
  /** Number in the file name; null for a placeholder (`0000-`) or no number. */
  fileNumber: z.number().int().positive().nullable(),
  fileNumberRaw: z.string().nullable(),
  slug: z.string().nullable(),
  /** Number in the `# SEP-<n>: Title` heading; null for a placeholder or none. */
  number: z.number().int().positive().nullable(),
  numberRaw: z.string().nullable(),
  title: z.string().nullable(),
  titleHeading: HeadingSchema.nullable(),
  preambleStyle: PreambleStyleSchema,
  /** The line of the closing `---` of front matter; null without front matter. */
  frontMatterEnd: Line.nullable(),
  status: z.string().nullable(), // canonical status id from rules
  statusRaw: z.string().nullable(),
  type: z.string().nullable(), // canonical type id from rules
  typeRaw: z.string().nullable(),
  created: z.string().nullable(), // YYYY-MM-DD, only when a real date
  createdRaw: z.string().nullable(),
  accepted: z.string().nullable(), // free text: "2025-11-28, 8 Yes, 0 No"
  authors: z.array(PersonSchema),
  sponsors: z.array(PersonSchema),
  sponsorState: SponsorStateSchema,
  /** No sponsor yet, whatever the Status says (real files write Draft while seeking one). */
  awaitingSponsor: z.boolean(),
  pr: z.number().int().positive().nullable(),
  prRaw: z.string().nullable(),
  /** Issue-era SEP (Issue field = its number, or numbered before PR numbering): no PR/Sponsor field needed. */
  legacy: z.boolean(),
  /** Fields not in rules, kept as written: Issue, Superseded-By, Extension Identifier... */
  extras: z.record(z.string(), z.string()),
  fields: z.array(FieldSchema),
  headings: z.array(HeadingSchema), // every top-level heading, code blocks excluded
  sections: z.array(SectionSchema), // level-2 headings
  /** Lines of prose that still hold the template's instructions (rules.templateText). */
  templateText: z.array(z.object({ line: Line, column: Column, text: z.string() })),
  lineCount: z.number().int().min(0),
  bytes: z.number().int().min(0),
  problems: z.array(ReadProblemSchema),
});
export type Sep = z.infer<typeof SepSchema>;
