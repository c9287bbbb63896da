/**
 * What the rooms of governance/ give the plan, in one shape the plan folds.
 * (Step by step: a room's next step for a person, shown in the status comment.)
 */

/** Someone's next step, as the status comment says it. */
export interface NextStep {
  who: string | null; // a login, or null for "maintainers"
  what: string;
  code?: boolean; // `what` is shell commands
}
