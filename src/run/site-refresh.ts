import type { Probot } from "probot";
import type { GitHub } from "../github/graphql.js";
import { repositories, type Target } from "./installations.js";
import type { LiveSite } from "./live-site.js";
import { startSchedule, type SweepLock } from "./schedule.js";

/**
 * When the live site's bulk read is made (a page view never reads GitHub):
 * - at start-up, for each repository the store has no data for (with Redis,
 *   another instance may have read it already);
 * - after each weekly sweep and follow-up (the server's weekly work calls
 *   `afterSweep`), so the page shows what the sweep just did;
 * - on its own schedule (SEP_BOT_SITE_REFRESH, every six hours by default),
 *   one instance per slot, for what no reconcile sees: a SEP merged by hand, a
 *   rules change, an event that never arrived.
 * In between, each reconcile patches its pull request (LiveSite.touched).
 * Private repositories are never read for the site unless the server is told
 * they may be shown (SEP_BOT_SITE_PRIVATE=true): the page has no login.
 */

export const DEFAULT_SITE_REFRESH = "0 */6 * * *";

export interface SiteRefreshOptions {
  site: LiveSite;
  lock: SweepLock;
  /** Cron (UTC) of the periodic refresh, or null for none. */
  cron: string | null;
  showPrivate: boolean;
}

export function startSiteRefresh(app: Probot, o: SiteRefreshOptions): { afterSweep(target: Target & { octokit: GitHub }): Promise<void>; stop(): Promise<void> } {
  const running = new Set<Promise<void>>();
  let stopped = false;
  const track = (work: Promise<void>) => {
    const done = work.finally(() => running.delete(done));
    running.add(done);
    return done;
  };
  const refresh = async (target: Target & { octokit: GitHub }) => {
    const name = `${target.owner}/${target.repo}`;
    if (stopped || (target.private && !o.showPrivate)) return;
    try {
      if (await o.site.refresh(target.octokit, target.owner, target.repo)) app.log.info({ repo: name }, `site: ${name} read`);
    } catch (error) {
      // One repository's failure never stops the others; its page keeps the last read.
      app.log.warn({ err: error, repo: name }, `site: could not read ${name}; the page shows the last read`);
    }
  };
  const everywhere = async (onlyMissing: boolean) => {
    for await (const target of repositories(app)) {
      if (stopped) return;
      if (onlyMissing && (await o.site.has(`${target.owner}/${target.repo}`))) continue;
      await refresh(target);
    }
  };
  track(everywhere(true).catch((error: unknown) => app.log.warn({ err: error }, "site: the first read failed; the next refresh tries again")));
  const schedule = o.cron
    ? startSchedule({
        cron: o.cron,
        lock: o.lock,
        name: "site",
        ttlSeconds: 30 * 60,
        log: { info: (m) => app.log.info(m), warn: (obj, m) => app.log.warn(obj, m) },
        run: () => track(everywhere(false)),
      })
    : null;
  return {
    afterSweep: (target) => track(refresh(target)),
    async stop() {
      stopped = true;
      schedule?.stop();
      await Promise.all([...running]);
    },
  };
}
