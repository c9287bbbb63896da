import { MemoryCoordinator, pullRequestKey, type Coordinator } from "../delivery/coordinator.js";
import { isRateLimited } from "./errors.js";
import pMap from "p-map";
import { READS_AT_ONCE, type GitHub } from "./graphql.js";
import { readSweep, type SweepReadResult } from "./read/sweep.js";
import type { Effect } from "../governance/model/effects.js";
import { dueReconciles, type DueReconcile } from "../reports/sweep/due.js";
import { trigger } from "../governance/model/trigger.js";
import { reconcile } from "./reconcile.js";
import type { Logger } from "../shared/logger.js";

/**
 * The sweep: one bulk read of every SEP pull request, the cheap filter
 * (process/sweep.ts), then the same reconcile as a webhook for each one that
 * needs it, oldest first, until the run's write budget is spent. Every write
 * the reconcile makes is recorded on GitHub as it goes (a reminder's marker,
 * the status comment), so a sweep cut off anywhere is finished by the next
 * one, and nothing is sent twice. Through the coordinator, a sweep and a
 * webhook never reconcile the same PR at once.
 */

export interface SweepOptions {
  dryRun: boolean;
  /**
   * With dryRun: plan every PR the filter picks, ignoring the write budget (the
   * budget limits writes, and a preview writes nothing), so the preview shows
   * what every run of the budget would do. A real sweep always keeps its budget.
   */
  preview?: boolean;
  now?: () => Date;
  log: Logger;
  coordinator?: Coordinator;
  /** Called after each reconcile (a terminal shows progress). */
  progress?: (done: number, total: number, number: number) => void;
  /** The check runs may offer "Fix these" (default); false where no App server receives the press (Actions). */
  fixButton?: boolean;
}

export interface SweepReport {
  read: SweepReadResult;
  due: DueReconcile[];
  /** What each reconcile wrote (or, in a dry run, would write). */
  done: Array<{ number: number; reasons: string[]; writes: number; effects: Effect[] }>;
  writes: number;
  /** Left for the next run: the budget ran out, or GitHub's rate limit. */
  deferred: number[];
  failed: Array<{ number: number; error: string }>;
  /** Why the run stopped early, if it did. */
  stopped: string | null;
  /** What stopped it: the write budget, or GitHub's rate limit. */
  stoppedBy: "budget" | "rate-limit" | null;
}

type Outcome = { writes: number; effects: Effect[] } | { error: unknown } | { covered: true };

/** GitHub's rate limit, on the request or on one the executor aggregated. */
function rateLimited(error: unknown): boolean {
  return isRateLimited(error) || (error instanceof AggregateError && error.errors.some((e) => isRateLimited((e as Error).cause ?? e)));
}

export async function sweep(octokit: GitHub, owner: string, repo: string, options: SweepOptions): Promise<SweepReport> {
  if (options.preview && !options.dryRun) throw new Error("a sweep previews only in a dry run: a real sweep keeps its write budget");
  const now = options.now ?? (() => new Date());
  const coordinator = options.coordinator ?? new MemoryCoordinator();
  const read = await readSweep(octokit, owner, repo, now(), { conformance: true });
  const { rules } = read;
  if (read.configError) options.log.warn({ repo: `${owner}/${repo}` }, `the repository's rules could not be used, the defaults apply: ${read.configError}`);
  for (const note of read.notes) options.log.warn({ repo: `${owner}/${repo}` }, note);
  const due = dueReconciles(read.read, rules, now());
  const report: SweepReport = { read, due, done: [], writes: 0, deferred: [], failed: [], stopped: null, stoppedBy: null };
  options.log.info({ repo: `${owner}/${repo}`, pulls: read.read.pulls.length, due: due.length }, `sweep: ${due.length} of ${read.read.pulls.length} pull requests need a reconcile`);

  const target = (number: number) => ({ owner, repo, number, defaultBranch: read.read.repo.defaultBranch });
  /** One PR's reconcile, through the coordinator (never beside a webhook's for the same PR). */
  const reconcileOne = async (item: DueReconcile): Promise<Outcome> => {
    let outcome: Outcome = { covered: true }; // another holder's run covered this trigger (Redis)
    try {
      await coordinator.enqueue(pullRequestKey(owner, repo, item.number), trigger({ events: ["sweep"] }), async (merged) => {
        const result = await reconcile(octokit, { ...target(item.number), trigger: merged, botLogin: read.read.botLogin }, { dryRun: options.dryRun, now, log: options.log, fixButton: options.fixButton });
        outcome = { writes: result.writes, effects: result.plan.effects };
      });
    } catch (error) {
      return { error };
    }
    return outcome;
  };

  // A dry run writes nothing: its reconciles are only reads, made several at once. A real one reads each
  // pull request just before it writes there, in order, so that no write rests on a read grown stale.
  const ahead = options.dryRun ? READS_AT_ONCE : 1;
  let finished = 0;
  let finishedWrites = 0;
  let stopReading = false;
  const outcomes = await pMap(
    due,
    async (item) => {
      // Past the budget (or a rate limit), the rest is deferred: not read at all.
      if (stopReading || (!options.preview && finishedWrites >= rules.sweep.maxWrites)) return null;
      const result = await reconcileOne(item);
      if ("error" in result && rateLimited(result.error)) stopReading = true;
      if ("writes" in result) finishedWrites += result.writes;
      options.progress?.(++finished, due.length, item.number);
      return result;
    },
    { concurrency: ahead },
  );

  // What each reconcile did, in order, and what this run leaves for the next, as a run one at a time would.
  for (const [i, item] of due.entries()) {
    const result = outcomes[i];
    if (!report.stopped && !options.preview && report.writes >= rules.sweep.maxWrites) {
      report.stopped = `the write budget of this run (${rules.sweep.maxWrites}, \`sweep.maxWrites\`) is spent`;
      report.stoppedBy = "budget";
    }
    if (report.stopped || !result) {
      report.deferred.push(item.number);
      continue;
    }
    if ("covered" in result) continue;
    if ("error" in result) {
      const message = result.error instanceof Error ? result.error.message : String(result.error);
      report.failed.push({ number: item.number, error: message });
      options.log.warn({ pr: `${owner}/${repo}#${item.number}`, err: result.error }, `sweep: reconcile failed: ${message}`);
      if (rateLimited(result.error)) {
        report.stopped = "GitHub's rate limit: the rest waits for the next run";
        report.stoppedBy = "rate-limit";
      }
      continue;
    }
    report.done.push({ number: item.number, reasons: item.reasons, writes: result.writes, effects: result.effects });
    report.writes += result.writes;
  }
  if (report.stopped) options.log.warn({ deferred: report.deferred.length }, `sweep stopped early: ${report.stopped}`);
  return report;
}
