import type { Finding } from "../../lint/finding.js";
import { mergeChanges, type TextChange } from "../../sep/edit.js";
import type { Effect } from "./effects.js";
import type { BotState } from "./record.js";
import type { AuditEntry } from "./snapshot.js";

/**
 * What each room of governance/ gives the plan, in one shape, and the one
 * place they are folded (`Fold`). A room says what it wants done (effects,
 * and why), what it adds to the record (audit lines, the bot's memory), to
 * the status comment (next steps), to the check (findings on the SEP) and to
 * the one commit (edits to the SEP's text); the fold keeps them in the
 * order the executor must apply them, whatever order the rooms ran in.
 */

/**
 * When an effect is applied, in this order: the commit first and alone
 * (reconcile.ts), then issues to file in other repositories, also apart (the
 * reconcile reads and plans again to find them), then what people see react
 * to it; the umbrella's list (`tracking`) before the record. The clocks' reminders
 * record a step before it is acted on; reactions say "handled" after every
 * other write; the status comment (the record) comes last but the board,
 * an extra whose failure must not hold back the record.
 */
export const PHASES = ["status", "replies", "commit", "issues", "reminders", "check", "labels", "assignees", "commands", "close", "tracking", "reactions", "comment", "board"] as const;
export type Phase = (typeof PHASES)[number];

/** Someone's next step, as the status comment says it. */
export interface NextStep {
  who: string | null; // a login, or null for "maintainers"
  what: string;
  code?: boolean; // `what` is shell commands
}

/** An edit to the primary SEP's text, and how the commit message says it. */
export interface SepEdit {
  change: TextChange;
  what: readonly string[];
  /** Said in the commit's summary (the audit log's line for it), not only in its message: false for commands and clocks, whose own audit lines say it. */
  headline: boolean;
}

export interface Contribution {
  /** Effects by phase, with why (for logs and dry runs). */
  effects?: Partial<Record<Phase, Effect[]>>;
  reasons?: Partial<Record<Phase, string[]>>;
  /** Lines for the audit log the status comment keeps. */
  entries?: readonly AuditEntry[];
  /** What the bot remembers, changed (its record in the status comment). */
  memory?: (memory: BotState) => BotState;
  /** Next steps the status comment shows. */
  nextSteps?: readonly NextStep[];
  /** Findings on the pull request's SEP (the check shows them beside the linter's). */
  findings?: readonly Finding[];
  /** Edits to the SEP's text: every room's go into the one commit. */
  edit?: SepEdit | null;
}

/** The contributions so far, folded: what later rooms read, and what the plan is made of. */
export class Fold {
  readonly effects = new Map<Phase, Effect[]>(PHASES.map((p) => [p, []]));
  readonly reasons = new Map<Phase, string[]>(PHASES.map((p) => [p, []]));
  readonly entries: AuditEntry[];
  readonly nextSteps: NextStep[] = [];
  readonly findings: Finding[] = [];
  memory: BotState;
  /** The edits to the SEP so far, merged (a later edit to the same place gives way). */
  edit: TextChange | null = null;
  /** What the commit message lists: the headline's lines, then the commands' and clocks'. */
  readonly headline: string[] = [];
  readonly also: string[] = [];

  constructor(memory: BotState, entries: readonly AuditEntry[] = []) {
    this.memory = memory;
    this.entries = [...entries];
  }

  add(part: Contribution | null | undefined): this {
    if (!part) return this;
    for (const phase of PHASES) {
      this.effects.get(phase)!.push(...(part.effects?.[phase] ?? []));
      this.reasons.get(phase)!.push(...(part.reasons?.[phase] ?? []));
    }
    this.entries.push(...(part.entries ?? []));
    this.nextSteps.push(...(part.nextSteps ?? []));
    this.findings.push(...(part.findings ?? []));
    if (part.memory) this.memory = part.memory(this.memory);
    if (part.edit) {
      this.edit = this.edit ? mergeChanges(this.edit, part.edit.change) : part.edit.change;
      (part.edit.headline ? this.headline : this.also).push(...part.edit.what);
    }
    return this;
  }

  /** The effects in the order the executor applies them, and why. */
  ordered(): { effects: Effect[]; reasons: string[] } {
    return { effects: PHASES.flatMap((p) => this.effects.get(p)!), reasons: PHASES.flatMap((p) => this.reasons.get(p)!) };
  }

  has(kind: Effect["kind"]): boolean {
    return PHASES.some((p) => this.effects.get(p)!.some((e) => e.kind === kind));
  }
}
