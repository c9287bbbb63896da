import type { Probot } from "probot";
import type { GitHub } from "../../github/graphql.js";
import { inFlight } from "./in-flight.js";
import { repositories, type InstalledRepository } from "../../github/installations.js";
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
 *   rules change, an event that never arrived. A full pass also takes off the
 *   site every repository no installation lists any more.
 * In between, each reconcile patches its pull request (LiveSite.touched).
 * Private repositories are never read for the site unless the server is told
 * they may be shown (SEP_BOT_SITE_PRIVATE=true): the page has no login. With
 * SEP_BOT_SITE_REPO, only that repository is read.
 */

export const DEFAULT_SITE_REFRESH = "0 */6 * * *";

export interface SiteRefreshOptions {
  site: LiveSite;
  lock: SweepLock;
  /** Cron (UTC) of the periodic refresh, or null for none. */
  cron: string | null;
  showPrivate: boolean;
}

export function startSiteRefresh(app: Probot, o: SiteRefreshOptions): { afterSweep(target: InstalledRepository & { octokit: GitHub }): Promise<void>; stop(): Promise<void> } {
  const running = inFlight();
  let stopped = false;
  const refresh = async (target: InstalledRepository & { octokit: GitHub }) => {
    const name = `${target.owner}/${target.repo}`;
    if (stopped || !o.site.serves(name)) return;
    if (target.private && !o.showPrivate) return o.site.hide(name, "it is private (SEP_BOT_SITE_PRIVATE=true shows private repositories; the page has no login)");
    try {
      if (await o.site.refresh(target.octokit, target.owner, target.repo)) app.log.info({ repo: name }, `site: ${name} read`);
    } catch (error) {
      // One repository's failure never stops the others; its page keeps the last read.
      app.log.warn({ err: error, repo: name }, `site: could not read ${name}; the page shows the last read`);
    }
  };
  const everywhere = async (onlyMissing: boolean) => {
    const listed = new Set<string>();
    let complete = true;
    const skipped = (installation: number, error: unknown) => {
      complete = false;
      app.log.warn({ err: error, installation }, `site: installation ${installation} could not be read; the others go on`);
    };
    for await (const target of repositories(app, skipped)) {
      if (stopped) return;
      const name = `${target.owner}/${target.repo}`;
      listed.add(name);
      if (onlyMissing && !target.private && (await o.site.has(name))) continue;
      await refresh(target);
    }
    // Uninstalled, or removed from the installation: off the site (only after a pass that read every installation).
    if (!complete) return;
    for (const name of await o.site.shown()) if (!listed.has(name)) await o.site.hide(name, "sep-bot is no longer installed on it");
    const configured = o.site.configured();
    if (configured && ![...listed].some((name) => name.toLowerCase() === configured.toLowerCase())) {
      await o.site.hide(configured, "sep-bot is not installed on it (check SEP_BOT_SITE_REPO)");
    }
  };
  const track = (work: Promise<void>) => {
    running.track(work);
    return work;
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
      await running.settled();
    },
  };
}
