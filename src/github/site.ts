import { mkdir, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { pullsInReview, siteData, type SiteSource } from "../reports/site/build.js";
import type { SiteData } from "../reports/site/model.js";
import { renderSite, type SiteAsset } from "../reports/site/render.js";
import type { GitHub } from "./graphql.js";
import { readSiteExtras } from "./read/site.js";
import { readSweep, type SweepReadResult } from "./read/sweep.js";

/**
 * The SEP site from GitHub: the sweep's bulk read (every open SEP pull
 * request in pages of 100, with the bot's memory of each SEP and its clocks'
 * inputs, and each one's SEP file at its head, 50 a request) and one request
 * more (the SEP files on the default branch, and the votes of the SEPs in
 * review). No request per SEP.
 */

export interface SiteRead {
  /** What the sweep read: the rules, the notes (teams or the board unreadable), the pull requests. */
  sweep: SweepReadResult;
  source: SiteSource;
}

export async function readSite(octokit: GitHub, owner: string, repo: string, now: Date): Promise<SiteRead> {
  const sweep = await readSweep(octokit, owner, repo, now, { files: true });
  const { read, rules } = sweep;
  const extras = await readSiteExtras(octokit, owner, repo, read.repo.defaultBranch, rules, pullsInReview(read, rules));
  return { sweep, source: { read, rules, files: extras.files, discussions: extras.discussions } };
}

export interface SiteBuild {
  sweep: SweepReadResult;
  data: SiteData;
  /** Every file of the site by path (index.html, seps.json, feed.xml, site.css, site.js, status/*.html, people/*.html), with its media type. */
  files: Map<string, SiteAsset>;
}

/** Read and render: the site in memory, for `sep-bot site` and for a server that serves it. */
export async function buildSite(octokit: GitHub, owner: string, repo: string, options: { now?: () => Date } = {}): Promise<SiteBuild> {
  const now = (options.now ?? (() => new Date()))();
  const { sweep, source } = await readSite(octokit, owner, repo, now);
  const data = siteData(source, now);
  return { sweep, data, files: renderSite(data, { site: sweep.rules.links.site }) };
}

/**
 * Writes the site's files into `dir` (created if needed). Each file is written
 * beside its place and renamed over it, so a server or a browser reading the
 * directory meanwhile sees the old file or the new one, never half of one.
 */
export async function writeSite(dir: string, files: ReadonlyMap<string, SiteAsset>): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const [path, asset] of files) {
    const target = join(dir, path);
    await mkdir(dirname(target), { recursive: true });
    const temporary = `${target}.${process.pid}.tmp`;
    await writeFile(temporary, asset.body, "utf8");
    await rename(temporary, target);
    written.push(target);
  }
  return written;
}
