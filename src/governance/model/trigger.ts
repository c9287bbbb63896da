import { z } from "zod";
import { loginKey } from "../../shared/logins.js";

/**
 * What woke the reconcile of one pull request. The state says what is true;
 * a trigger only says who did something, for the judgements the state cannot
 * make alone (was this Status change pushed by the sponsor?). Triggers that
 * arrive while a reconcile runs are merged into one follow-up run, so
 * everything here is a set: merging loses no actor, label or push, and the
 * order deliveries arrived in never matters (who applied a label is read
 * from the PR's timeline when GitHub has it).
 */

const Login = z.string().min(1).max(100);
/** A burst beyond this many distinct entries per kind keeps the newest: bounded memory for a spammed PR. */
const MAX_ENTRIES = 200;

export const PushSchema = z.strictObject({
  /** Who moved the head branch (the webhook's sender). */
  actor: Login,
  /** The head commit after that push. */
  sha: z.string().regex(/^[0-9a-f]{40}$/),
  /** The head before it (the base for a PR just opened): a push sets the Status only if it changed it. */
  before: z.string().regex(/^[0-9a-f]{40}$/).optional(),
});
export type Push = z.infer<typeof PushSchema>;

export const LabelChangeSchema = z.strictObject({
  actor: Login,
  label: z.string().min(1).max(100),
  added: z.boolean(),
});
export type LabelChange = z.infer<typeof LabelChangeSchema>;

export const TriggerSchema = z.strictObject({
  /** `pull_request.opened`, `issue_comment.created`, `timer`...: for logs only. */
  events: z.array(z.string().max(60)).max(MAX_ENTRIES),
  /** opened, reopened, synchronize: who made which commit the head. */
  pushes: z.array(PushSchema).max(MAX_ENTRIES),
  /** labeled, unlabeled: which labels changed, and who the event says did it. */
  labels: z.array(LabelChangeSchema).max(MAX_ENTRIES),
  /** Comments that may hold commands (their ids); the reconcile reads them from GitHub. */
  comments: z.array(z.number().int().positive()).max(MAX_ENTRIES),
  /** Everyone whose action caused one of the events. */
  actors: z.array(Login).max(MAX_ENTRIES),
  /** Who pressed the check run's "Fix these" button: they asked for sep-bot's fixes to be committed. */
  fixes: z.array(Login).max(MAX_ENTRIES).default([]),
  /** The head commits of the check runs whose button was pressed: a press from an older head's check asks for nothing left. */
  fixHeads: z.array(z.string().regex(/^[0-9a-f]{40}$/)).max(MAX_ENTRIES).default([]),
});
export type Trigger = z.infer<typeof TriggerSchema>;

export const EMPTY_TRIGGER: Trigger = { events: [], pushes: [], labels: [], comments: [], actors: [], fixes: [], fixHeads: [] };

export function trigger(parts: Partial<Trigger>): Trigger {
  return mergeTriggers(EMPTY_TRIGGER, { ...EMPTY_TRIGGER, ...parts });
}

/** The union of two triggers; duplicates (the same delivery twice) count once. */
export function mergeTriggers(a: Trigger, b: Trigger): Trigger {
  return {
    events: union(a.events, b.events, (e) => e),
    pushes: union(a.pushes, b.pushes, (p) => `${loginKey(p.actor)} ${p.sha} ${p.before ?? ""}`),
    labels: union(a.labels, b.labels, (l) => `${l.actor.toLowerCase()} ${l.label.toLowerCase()} ${l.added}`),
    comments: union(a.comments, b.comments, (c) => String(c)),
    actors: union(a.actors, b.actors, loginKey),
    fixes: union(a.fixes, b.fixes, loginKey),
    fixHeads: union(a.fixHeads ?? [], b.fixHeads ?? [], (x) => x),
  };
}

function union<T>(a: readonly T[], b: readonly T[], key: (t: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of [...a, ...b]) {
    const k = key(item);
    seen.delete(k); // re-inserted last: the newest occurrence wins the position
    seen.set(k, item);
  }
  return [...seen.values()].slice(-MAX_ENTRIES);
}

/** Whether every event was caused by `login` (the bot's own writes coming back as webhooks). */
export function onlyBy(trigger: Trigger, isLogin: (actor: string) => boolean): boolean {
  return trigger.actors.length > 0 && trigger.actors.every(isLogin) && trigger.comments.length === 0 && trigger.fixes.length === 0;
}

/** Which pull request a reconcile is for: every trigger names one (or several) of these. */
export interface Target {
  owner: string;
  repo: string;
  number: number;
  /** The repository's default branch: where trusted files (the rules, MAINTAINERS.md) are read. */
  defaultBranch: string;
}
