import { z } from "zod";
import { RULE_IDS } from "../lint/catalog.js";

/** zod schemas for `rules/*.yml`. Strict objects: an unknown key is an error, not a silent no-op. */

export const SeveritySchema = z.enum(["error", "warning", "info"]);
export type Severity = z.infer<typeof SeveritySchema>;
export const SeverityOrOffSchema = z.enum(["error", "warning", "info", "off"]);
export type SeverityOrOff = z.infer<typeof SeverityOrOffSchema>;

const Slug = z.string().regex(/^[a-z][a-z0-9-]*$/, "must be a lowercase id like `in-review`");
const NonEmpty = z.string().trim().min(1);

export const StatusRuleSchema = z.strictObject({
  id: Slug,
  display: NonEmpty,
  label: NonEmpty,
  aliases: z.array(NonEmpty).default([]),
  seeking: z.boolean().default(false),
  sponsored: z.boolean().default(false),
  frozen: z.boolean().default(false),
  stampField: NonEmpty.optional(),
});

export const TypeRuleSchema = z.strictObject({
  id: Slug,
  display: NonEmpty,
  aliases: z.array(NonEmpty).default([]),
  omitSections: z.array(Slug).default([]),
});

export const FieldRuleSchema = z.strictObject({
  id: Slug,
  names: z.array(NonEmpty).min(1),
  required: SeverityOrOffSchema.default("off"),
  legacyOptional: z.boolean().default(false),
});

export const SectionRuleSchema = z.strictObject({
  id: Slug,
  title: NonEmpty,
  required: z.boolean().default(false),
  aliases: z.array(NonEmpty).default([]),
});

export const MaintainersRuleSchema = z.strictObject({
  teams: z.array(NonEmpty).default([]),
  file: NonEmpty.nullable().default("MAINTAINERS.md"),
  fileSections: z.array(NonEmpty).default([]),
  users: z.array(NonEmpty).default([]),
});

export const RulesSchema = z
  .strictObject({
    version: z.literal(1),
    sepDirectory: z
      .string()
      .regex(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/, "must be a relative directory like `seps`")
      .refine((d) => !d.split("/").includes(".."), "must not contain `..`"),
    exclude: z.array(NonEmpty).default([]),
    limits: z.strictObject({
      maxFileBytes: z.number().int().positive().max(50 * 1024 * 1024),
      maxFrontMatterBytes: z.number().int().positive().max(1024 * 1024),
      maxYamlAliases: z.number().int().min(0).max(1000),
    }),
    numbering: z.strictObject({ prNumbersSince: z.number().int().min(0) }),
    statuses: z.array(StatusRuleSchema).min(1),
    labels: z.strictObject({ sep: NonEmpty, awaitingSponsor: NonEmpty }),
    types: z.array(TypeRuleSchema).min(1),
    fields: z.array(FieldRuleSchema),
    sections: z.array(SectionRuleSchema),
    templateText: z.array(NonEmpty).default([]),
    severities: z.partialRecord(z.enum(RULE_IDS), SeverityOrOffSchema),
    deadlines: z.strictObject({
      sponsorReminderDays: z.number().int().positive(),
      dormantAfterDays: z.number().int().positive(),
    }),
    links: z.strictObject({ guidelines: z.url(), template: z.url() }),
    maintainers: MaintainersRuleSchema,
  })
  .superRefine((rules, ctx) => {
    const unique = (ids: string[], path: string) => {
      const seen = new Set<string>();
      for (const id of ids) {
        if (seen.has(id)) ctx.addIssue({ code: "custom", path: [path], message: `duplicate id \`${id}\`` });
        seen.add(id);
      }
    };
    unique(rules.statuses.map((s) => s.id), "statuses");
    unique(rules.types.map((t) => t.id), "types");
    unique(rules.fields.map((f) => f.id), "fields");
    unique(rules.sections.map((s) => s.id), "sections");
    const sectionIds = new Set(rules.sections.map((s) => s.id));
    rules.types.forEach((type, i) =>
      type.omitSections.forEach((id, j) => {
        if (!sectionIds.has(id))
          ctx.addIssue({
            code: "custom",
            path: ["types", i, "omitSections", j],
            message: `unknown section \`${id}\`; allowed: ${[...sectionIds].join(", ")}`,
          });
      }),
    );
    for (const required of ["status", "type", "created", "authors", "sponsor", "pr"]) {
      if (!rules.fields.some((f) => f.id === required))
        ctx.addIssue({ code: "custom", path: ["fields"], message: `must define the \`${required}\` field` });
    }
  });

export type Rules = z.infer<typeof RulesSchema>;
export type StatusRule = z.infer<typeof StatusRuleSchema>;
export type TypeRule = z.infer<typeof TypeRuleSchema>;
export type SectionRule = z.infer<typeof SectionRuleSchema>;
export type FieldRule = z.infer<typeof FieldRuleSchema>;
