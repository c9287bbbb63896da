import type { Probot } from "probot";
import { chatTarget } from "./chat.js";
import type { Coordinator } from "./delivery/coordinator.js";
import { digest, findDigestIssue } from "./digest.js";
import type { GitHub } from "./github/read-snapshot.js";
import { isoWeek } from "./process/digest/render.js";
import { defaultRules } from "./rules/load.js";
import { startSchedule, type SweepLock } from "./schedule.js";
import { sweep } from "./sweep.js";
import type { Logger } from "./reconcile.js";
import { Cron } from "croner";

/**
 * The server's weekly work: at each slot of the schedule (SEP_BOT_SCHEDULE,
 * else the bundled rules' `sweep.schedule`, Mondays 09:00 UTC), for every
 * installation and every repository it can see that has a SEP directory: the
 * sweep, then the digest. One instance runs each slot (the lock). A server
 * that was down at the slot catches up when it starts, if this week's slot
 * has passed and its digest is not there: the digest issue is the record.
 */

export interface WeeklyOptions {
  coordinator: Coordinator;
  lock: SweepLock;
  cron?: string;
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
}

/** Every repository of every installation, with a client for it. */
async function* repositories(app: Probot): AsyncGenerator<{ octokit: GitHub; owner: string; repo: string }> {
  const appOctokit = await app.auth();
  for await (const { data: installations } of appOctokit.paginate.iterator(appOctokit.rest.apps.listInstallations, { per_page: 100 })) {
    for (const installation of installations) {
      const octokit = (await app.auth(installation.id)) as unknown as GitHub;
      for await (const { data } of octokit.paginate.iterator(octokit.rest.apps.listReposAccessibleToInstallation, { per_page: 100 })) {
        const repos = Array.isArray(data) ? data : ((data as { repositories?: Array<{ name: string; owner: { login: string }; archived?: boolean }> }).repositories ?? []);
        for (const r of repos as Array<{ name: string; owner: { login: string }; archived?: boolean }>) if (!r.archived) yield { octokit, owner: r.owner.login, repo: r.name };
      }
    }
  }
}

/** The sweep and the digest of one repository; skipped where there are no SEPs. */
export async function weeklyRun(octokit: GitHub, owner: string, repo: string, o: { coordinator: Coordinator; log: Logger; env: NodeJS.ProcessEnv; now: () => Date }): Promise<void> {
  const report = await sweep(octokit, owner, repo, { dryRun: false, coordinator: o.coordinator, log: o.log, now: o.now });
  if (!report.read.hasSepDirectory) return;
  let chat = null;
  try {
    chat = chatTarget(o.env);
  } catch (error) {
    o.log.warn({ repo: `${owner}/${repo}` }, `digest: no chat announcement: ${(error as Error).message}`);
  }
  await digest(octokit, owner, repo, { post: true, chat, log: o.log, now: o.now });
}

export function startWeekly(app: Probot, options: WeeklyOptions): { stop(): void } {
  const env = options.env ?? process.env;
  const now = options.now ?? (() => new Date());
  const cron = options.cron ?? env.SEP_BOT_SCHEDULE ?? defaultRules().sweep.schedule;
  const log: Logger = { info: (o, m) => app.log.info(o as object, m), warn: (o, m) => app.log.warn(o as object, m) };
  const everywhere = async (label: string, onlyMissing: boolean) => {
    for await (const { octokit, owner, repo } of repositories(app)) {
      try {
        if (onlyMissing && (await findDigestIssue(octokit, owner, repo, defaultRules().digest.label, isoWeek(now().toISOString())))) continue;
        await weeklyRun(octokit, owner, repo, { coordinator: options.coordinator, log, env, now });
      } catch (error) {
        // One repository's failure (a permission, a rate limit) never stops the others.
        app.log.warn({ err: error, repo: `${owner}/${repo}` }, `weekly ${label}: ${owner}/${repo} failed`);
      }
    }
  };
  const schedule = startSchedule({
    cron,
    lock: options.lock,
    log: { info: (m) => app.log.info(m), warn: (o, m) => app.log.warn(o, m) },
    run: (slot) => everywhere(slot, false),
  });
  app.log.info(`sep-bot: weekly sweep and digest on "${cron}" (UTC); next ${schedule.next()?.toISOString() ?? "never"}`);

  // Catching up: this week's slot has passed while no instance was running.
  const last = new Cron(cron, { timezone: "UTC" }).previousRuns(1, now())[0];
  if (last && isoWeek(last.toISOString()) === isoWeek(now().toISOString())) {
    const slot = `${last.toISOString().slice(0, 16)}Z`;
    void options.lock
      .acquire(`catch-up:${slot}`, 6 * 3600)
      .then((mine) => (mine ? everywhere(`catch-up ${slot}`, true) : undefined))
      .catch((error: unknown) => app.log.warn({ err: error }, "weekly catch-up failed"));
  }
  return schedule;
}
