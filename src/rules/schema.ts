import { cronError } from "./cron.js";
import { z } from "zod";
import { RULE_IDS } from "../shared/rule-ids.js";
import { markdownUrl } from "../shared/markdown.js";
import { FinalRuleSchema } from "./final.js";
import { SdksRuleSchema } from "./sdks.js";

/** A link people follow from a message: http(s), percent-encoded where markdown would break on it. */
const Link = z.url({ protocol: /^https?$/ }).transform(markdownUrl);

/** zod schemas for `rules/*.yml`. Strict objects: an unknown key is an error, not a silent no-op. */

export const SeveritySchema = z.enum(["error", "warning", "info"]);
export type Severity = z.infer<typeof SeveritySchema>;
export const SeverityOrOffSchema = z.enum(["error", "warning", "info", "off"]);
export type SeverityOrOff = z.infer<typeof SeverityOrOffSchema>;

const Slug = z.string().regex(/^[a-z][a-z0-9-]*$/, "must be a lowercase id like `in-review`");
const NonEmpty = z.string().trim().min(1);

/** A role in `roles`, or one the bot knows from the pull request itself. */
export const RELATION_ROLES = ["author", "sponsor", "anyone"] as const;
const RoleRef = Slug;

export const StatusRuleSchema = z.strictObject({
  id: Slug,
  display: NonEmpty,
  label: NonEmpty,
  aliases: z.array(NonEmpty).default([]),
  seeking: z.boolean().default(false),
  /** Without a sponsor, a SEP in this status is awaiting one: it carries `labels.awaitingSponsor` (Draft; not Dormant). */
  awaitsSponsor: z.boolean().default(false),
  sponsored: z.boolean().default(false),
  frozen: z.boolean().default(false),
  stampField: NonEmpty.optional(),
  /** What the bot writes in the file for this status (default `display`): "awaiting a sponsor" is written Draft. */
  writeAs: NonEmpty.optional(),
  /** Who may move a SEP into this status (label, push or command); default `statusChange.by`. */
  setBy: z.array(RoleRef).optional(),
  /** Who may not, even holding a role above (a SEP's own author may not accept it). */
  notBy: z.array(RoleRef).default([]),
  /** Reaching this status closes the pull request (dormant); leaving it reopens it. */
  closesPullRequest: z.boolean().default(false),
});

export const RoleRuleSchema = z.strictObject({
  /** For /help and messages: "a core maintainer". */
  description: NonEmpty,
  /** Everyone in these roles holds this one too. */
  includes: z.array(Slug).default([]),
  /** Headings of `maintainers.file` on the base branch whose handles hold the role, with their subsections. */
  sections: z.array(NonEmpty).default([]),
  /** Organisation team slugs. */
  teams: z.array(NonEmpty).default([]),
  users: z.array(NonEmpty).default([]),
});

export const COMMAND_ACTIONS = ["sponsor", "unsponsor", "status", "revive", "supersede", "vote", "check", "fix", "track", "help"] as const;

export const CommandRuleSchema = z.strictObject({
  /** One line for /help and docs/commands.md. */
  summary: NonEmpty,
  /** Roles that may use it (rules roles, or author, sponsor, anyone). */
  who: z.array(RoleRef).min(1),
  /** Roles that may not, even holding one above. */
  notBy: z.array(RoleRef).default([]),
  does: z.enum(COMMAND_ACTIONS),
  /** The status it moves to (for `does: status`; without it, the status is the first argument). */
  to: Slug.optional(),
  /** Usage of the arguments, for /help: "<status>". */
  args: NonEmpty.optional(),
  /** Sections (ids) that must hold real content, not template text, first. */
  requires: z.array(Slug).default([]),
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
  /** The file listing maintainers, read on the base branch; `roles.*.sections` say which of its headings count. */
  file: NonEmpty.nullable().default("MAINTAINERS.md"),
});

export const ClockStepSchema = z.strictObject({
  /** Days on the clock (paused time does not count). */
  day: z.number().int().positive(),
  /** Who is told: `author`, `sponsor`, `assignees` (the PR's assigned maintainers). */
  notify: z.array(z.enum(["author", "sponsor", "assignees"])).default([]),
  /** The comment, with {author}, {sponsor}, {assignees}, {days}, {dormant} (the date the clock acts), {actIn} (days until then), {conformance}, {maintainers}, {community}, {guidelines}. */
  message: NonEmpty,
  /** Besides telling: the SEP becomes dormant (its pull request closed). */
  action: z.enum(["dormant"]).optional(),
  /** What the status comment shows before the day: "reminder to the author". */
  deadline: NonEmpty,
});

export const ClockRuleSchema = z.strictObject({
  id: Slug,
  /** The states it runs in. */
  states: z.array(Slug).min(1),
  /**
   * What starts it: `state` (entering the state: a new SEP, `/unsponsor`,
   * `/revive`), `activity` (the last thing a person did on the PR), or
   * `assignee-wait` (someone else acted and the assigned maintainers have not since).
   */
  from: z.enum(["state", "activity", "assignee-wait"]),
  steps: z.array(ClockStepSchema).min(1),
});

export const ClocksRuleSchema = z.strictObject({
  /** While a PR has this label, no clock runs; removing it resumes them without a backlog. */
  pauseLabel: NonEmpty,
  /** Nobody is told about the same SEP twice within this many days. */
  cooldownDays: z.number().int().min(0),
  /**
   * A step that acts (dormancy) happens only this many days after its warning
   * (the step before it) was posted in the same run of the clock; a SEP found
   * past its deadline gets the warning first, and a new date.
   */
  warnBeforeActDays: z.number().int().min(1).default(14),
  list: z.array(ClockRuleSchema),
});

export const SponsorshipRuleSchema = z.strictObject({
  /**
   * A maintainer assigned to a SEP that awaits a sponsor (by themselves, or by
   * another maintainer) becomes its sponsor, as if they had commented `/sponsor`.
   */
  byAssignment: z.boolean().default(true),
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
    clocks: ClocksRuleSchema,
    sweep: z.strictObject({
      /** When the server sweeps every SEP (cron, UTC): five fields. */
      schedule: NonEmpty,
      /** Writes one sweep may make; the rest happens next run, oldest first. */
      maxWrites: z.number().int().positive(),
      /** Closed pull requests the sweep still reads (for the digest's "what changed"). */
      closedWithinDays: z.number().int().min(0),
    }),
    digest: z.strictObject({
      /** One issue per ISO week, with this label. */
      label: NonEmpty,
      /** `{week}` becomes the ISO week: "SEP digest: 2026-W49". */
      title: NonEmpty,
    }),
    /** An organisation project (Projects v2) kept in step with each SEP's state, or null. */
    project: z
      .strictObject({
        owner: NonEmpty,
        number: z.number().int().positive(),
        /** The single-select field with one option per state. */
        field: NonEmpty,
        /** State id -> option name; a state not listed leaves the item's field as it is. */
        options: z.record(Slug, NonEmpty),
      })
      .nullable()
      .default(null),
    /** Links every message points to: http(s) only, made safe inside markdown's `(...)` once, here. */
    links: z.strictObject({
      guidelines: Link,
      template: Link,
      commands: Link,
      maintainers: Link,
      community: Link,
      /** Where the SEP site is published (GitHub Pages, or `sep-bot serve`): the digest and the status comments link to it. */
      site: Link.nullable().default(null),
      /**
       * Each merged SEP's rendered page in the project's documentation, as a template: `{file}` (its file
       * name without `.md`), `{number}`, `{slug}`. The site links each row with a file on the default branch to it.
       */
      sepPage: z
        .string()
        .regex(/^https?:\/\/[^\s<>"'`]+$/, "an http(s) address")
        .refine((t) => /\{(file|number|slug)\}/.test(t), "a template naming {file}, {number} or {slug}")
        .nullable()
        .default(null),
    }),
    maintainers: MaintainersRuleSchema,
    roles: z.record(Slug, RoleRuleSchema),
    /** Who may change a SEP's status (by label, push or command), unless the status says otherwise. */
    statusChange: z.strictObject({ by: z.array(RoleRef).min(1) }),
    /** How a SEP finds its sponsor besides `/sponsor` (who may sponsor: the `sponsor` command's `who` and `notBy`). */
    sponsorship: SponsorshipRuleSchema.default({ byAssignment: true }),
    /** State -> the states it may move to ("proposal" is a SEP awaiting a sponsor). */
    transitions: z.record(Slug, z.array(Slug)),
    commands: z.record(Slug, CommandRuleSchema),
    /** Other names for commands: `lgtm: accept`. */
    commandAliases: z.record(Slug, Slug).default({}),
    /** The road from Accepted to Final: the checklist, `/final`'s guard, the conformance repository (rules/final.ts). */
    final: FinalRuleSchema.prefault({}),
    /** Implementation across the SDK repositories, and the release (rules/sdks.ts); null: off. */
    sdks: SdksRuleSchema.nullable().default(null),
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
    const statusIds = new Set(rules.statuses.map((s) => s.id));
    const roleIds = new Set<string>([...Object.keys(rules.roles), ...RELATION_ROLES]);
    const sectionIdSet = new Set(rules.sections.map((s) => s.id));
    const checkRoles = (roles: readonly string[], path: PropertyKey[]) =>
      roles.forEach((role, i) => {
        if (!roleIds.has(role)) ctx.addIssue({ code: "custom", path: [...path, i], message: `unknown role \`${role}\`; allowed: ${[...roleIds].join(", ")}` });
      });
    for (const name of Object.keys(rules.roles)) {
      if ((RELATION_ROLES as readonly string[]).includes(name)) ctx.addIssue({ code: "custom", path: ["roles", name], message: `\`${name}\` is known from the pull request itself and cannot be defined` });
      rules.roles[name]!.includes.forEach((inc, i) => {
        if (!rules.roles[inc]) ctx.addIssue({ code: "custom", path: ["roles", name, "includes", i], message: `unknown role \`${inc}\`; allowed: ${Object.keys(rules.roles).join(", ")}` });
      });
    }
    checkRoles(rules.statusChange.by, ["statusChange", "by"]);
    rules.statuses.forEach((status, i) => {
      checkRoles(status.setBy ?? [], ["statuses", i, "setBy"]);
      checkRoles(status.notBy, ["statuses", i, "notBy"]);
    });
    for (const [from, targets] of Object.entries(rules.transitions)) {
      if (!statusIds.has(from)) ctx.addIssue({ code: "custom", path: ["transitions", from], message: `unknown status \`${from}\`; allowed: ${[...statusIds].join(", ")}` });
      targets.forEach((to, i) => {
        if (!statusIds.has(to)) ctx.addIssue({ code: "custom", path: ["transitions", from, i], message: `unknown status \`${to}\`; allowed: ${[...statusIds].join(", ")}` });
      });
    }
    for (const [name, command] of Object.entries(rules.commands)) {
      checkRoles(command.who, ["commands", name, "who"]);
      checkRoles(command.notBy, ["commands", name, "notBy"]);
      if (command.to !== undefined && !statusIds.has(command.to)) ctx.addIssue({ code: "custom", path: ["commands", name, "to"], message: `unknown status \`${command.to}\`; allowed: ${[...statusIds].join(", ")}` });
      command.requires.forEach((id, i) => {
        if (!sectionIdSet.has(id)) ctx.addIssue({ code: "custom", path: ["commands", name, "requires", i], message: `unknown section \`${id}\`; allowed: ${[...sectionIdSet].join(", ")}` });
      });
    }
    rules.clocks.list.forEach((clock, i) => {
      clock.states.forEach((state, j) => {
        if (!statusIds.has(state)) ctx.addIssue({ code: "custom", path: ["clocks", "list", i, "states", j], message: `unknown status \`${state}\`; allowed: ${[...statusIds].join(", ")}` });
      });
      const days = clock.steps.map((step) => step.day);
      if (days.some((d, k) => k > 0 && d <= days[k - 1]!)) ctx.addIssue({ code: "custom", path: ["clocks", "list", i, "steps"], message: "steps must be in order of `day`, each later than the one before" });
      // Nothing irreversible without warning: the step before an acting step is its dated warning.
      clock.steps.forEach((step, k) => {
        if (step.action && (k === 0 || clock.steps[k - 1]!.action)) ctx.addIssue({ code: "custom", path: ["clocks", "list", i, "steps", k], message: `a step that acts (\`${step.action}\`) needs a step before it that warns, at least clocks.warnBeforeActDays earlier` });
      });
    });
    unique(rules.clocks.list.map((c) => c.id), "clocks");
    const cron = rules.sweep.schedule.trim();
    const cronProblem = /^\S+(\s+\S+){4}$/.test(cron) ? cronError(cron) : "five fields are needed";
    if (cronProblem) ctx.addIssue({ code: "custom", path: ["sweep", "schedule"], message: `must be a cron expression of five fields (UTC), like \`0 9 * * 1\` for Mondays 09:00: ${cronProblem}` });
    if (rules.project) {
      for (const state of Object.keys(rules.project.options)) {
        if (!statusIds.has(state)) ctx.addIssue({ code: "custom", path: ["project", "options", state], message: `unknown status \`${state}\`; allowed: ${[...statusIds].join(", ")}` });
      }
    }
    for (const [alias, target] of Object.entries(rules.commandAliases)) {
      if (!rules.commands[target]) ctx.addIssue({ code: "custom", path: ["commandAliases", alias], message: `unknown command \`${target}\`; allowed: ${Object.keys(rules.commands).join(", ")}` });
      if (rules.commands[alias]) ctx.addIssue({ code: "custom", path: ["commandAliases", alias], message: `\`${alias}\` is already a command` });
    }
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
export type RoleRule = z.infer<typeof RoleRuleSchema>;
export type CommandRule = z.infer<typeof CommandRuleSchema>;
export type CommandAction = (typeof COMMAND_ACTIONS)[number];
export type ClockRule = z.infer<typeof ClockRuleSchema>;
export type ClockStep = z.infer<typeof ClockStepSchema>;
