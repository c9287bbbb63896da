import type { Redis } from "ioredis";
import type { Rules } from "../rules/schema.js";
import type { SiteSource } from "../reports/site/build.js";
import type { PersonComment } from "../governance/model/snapshot.js";
import type { SweepPull } from "../reports/sweep/due.js";

/**
 * Where the live site's data waits between page views: per repository, the
 * last bulk read (a sweep's, a refresh's) and each pull request as it was
 * read again after a reconcile. In this process, or in Redis, so every
 * instance behind a load balancer shows the same page and a reconcile on one
 * instance shows on all. A page view reads this store, never GitHub.
 *
 * Reads race (a slow bulk read, a patch from another instance): the newest
 * read wins, whatever order they are stored in. A patch read before the bulk
 * read it would patch is older news and is dropped; a bulk read keeps the
 * patches read after it started.
 */

/** A bulk read of one repository. */
export interface SiteBase {
  source: SiteSource;
  /** When it was read (ISO). */
  readAt: string;
}

/** One pull request read again after a reconcile. */
export interface SitePatch {
  number: number;
  /** null: gone, or no longer visible to the app. */
  pull: SweepPull | null;
  comments: PersonComment[];
  readAt: string;
}

export interface StoredSite {
  base: SiteBase;
  patches: SitePatch[];
  /** Grows with every write: a page rendered at this revision is still current. */
  revision: number;
}

export interface SiteStore {
  /** A new bulk read: it replaces the last one and every patch read before it. */
  replace(repo: string, base: SiteBase): Promise<void>;
  /** One pull request as read after a reconcile: ignored for a repository never read whole, or when a newer read is stored. */
  patch(repo: string, patch: SitePatch): Promise<void>;
  /** Takes the repository off the site (private now, uninstalled, no SEPs). */
  remove(repo: string): Promise<void>;
  /** The current revision, or null when the repository was never read: one cheap call per page view. */
  revision(repo: string): Promise<number | null>;
  get(repo: string): Promise<StoredSite | null>;
  /** The rules the last bulk read used (a patch reads its pull request with them), without the rest. */
  rules(repo: string): Promise<Rules | null>;
  /** When the last bulk read was made (ISO), without the rest: how old the site is. */
  readAt(repo: string): Promise<string | null>;
  /** Repositories with data, sorted. */
  repos(): Promise<string[]>;
}

/** The source with every patch newer than the bulk read applied: what the page shows. */
export function currentSource(site: StoredSite): { source: SiteSource; readAt: string } {
  const { base } = site;
  const newer = site.patches.filter((p) => p.readAt >= base.readAt).sort((a, b) => a.number - b.number);
  if (newer.length === 0) return base;
  const byNumber = new Map(newer.map((p) => [p.number, p]));
  const pulls = base.source.read.pulls.filter((p) => !byNumber.has(p.number));
  for (const patch of newer) if (patch.pull) pulls.push(patch.pull);
  pulls.sort((a, b) => a.number - b.number);
  const discussions = base.source.discussions.filter((d) => !byNumber.has(d.number));
  for (const patch of newer) discussions.push({ number: patch.number, comments: patch.comments });
  discussions.sort((a, b) => a.number - b.number);
  const readAt = newer.reduce((latest, p) => (p.readAt > latest ? p.readAt : latest), base.readAt);
  return { source: { ...base.source, read: { ...base.source.read, pulls }, discussions }, readAt };
}

export class MemorySiteStore implements SiteStore {
  private readonly sites = new Map<string, StoredSite>();
  private counter = 0;

  async replace(repo: string, base: SiteBase): Promise<void> {
    const patches = (this.sites.get(repo)?.patches ?? []).filter((p) => p.readAt >= base.readAt);
    this.sites.set(repo, { base, patches, revision: ++this.counter });
  }

  async patch(repo: string, patch: SitePatch): Promise<void> {
    const site = this.sites.get(repo);
    if (!site || patch.readAt < site.base.readAt) return;
    const stored = site.patches.find((p) => p.number === patch.number);
    if (stored && stored.readAt > patch.readAt) return;
    this.sites.set(repo, { ...site, patches: [...site.patches.filter((p) => p.number !== patch.number), patch], revision: ++this.counter });
  }

  async remove(repo: string): Promise<void> {
    this.sites.delete(repo);
  }

  async revision(repo: string): Promise<number | null> {
    return this.sites.get(repo)?.revision ?? null;
  }

  async get(repo: string): Promise<StoredSite | null> {
    return this.sites.get(repo) ?? null;
  }

  async rules(repo: string): Promise<Rules | null> {
    return this.sites.get(repo)?.base.source.rules ?? null;
  }

  async readAt(repo: string): Promise<string | null> {
    return this.sites.get(repo)?.base.readAt ?? null;
  }

  async repos(): Promise<string[]> {
    return [...this.sites.keys()].sort();
  }
}

/** A week: the refresh renews it every few hours; a server gone for good leaves nothing behind for long. */
const TTL_SECONDS = 7 * 24 * 3600;

/**
 * KEYS: hash, revision, sites. ARGV: repo, base, rules, readAt, ttl.
 * The new bulk read, keeping the patches read after it (`at:<n>` >= readAt).
 */
const REPLACE = `
local keys = redis.call('HKEYS', KEYS[1])
for _, field in ipairs(keys) do
  if string.sub(field, 1, 3) == 'at:' then
    local at = redis.call('HGET', KEYS[1], field)
    if at < ARGV[4] then redis.call('HDEL', KEYS[1], field, 'pr:' .. string.sub(field, 4)) end
  end
end
redis.call('HSET', KEYS[1], 'base', ARGV[2], 'rules', ARGV[3], 'readAt', ARGV[4])
redis.call('INCR', KEYS[2])
redis.call('EXPIRE', KEYS[1], ARGV[5])
redis.call('EXPIRE', KEYS[2], ARGV[5])
redis.call('SADD', KEYS[3], ARGV[1])
return 1`;

/** KEYS: hash, revision. ARGV: number, patch, readAt. Stored only over a bulk read, and only if no newer read of it is. */
const PATCH = `
local readAt = redis.call('HGET', KEYS[1], 'readAt')
if not readAt or ARGV[3] < readAt then return 0 end
local stored = redis.call('HGET', KEYS[1], 'at:' .. ARGV[1])
if stored and stored > ARGV[3] then return 0 end
redis.call('HSET', KEYS[1], 'pr:' .. ARGV[1], ARGV[2], 'at:' .. ARGV[1], ARGV[3])
redis.call('INCR', KEYS[2])
return 1`;

/**
 * The same in Redis: a hash per repository (`base`, `rules`, `readAt`,
 * `pr:<number>` and `at:<number>`), a revision counter beside it that only
 * ever grows (a page cached at an old revision is never taken for current),
 * and the set of repositories. Each write is one script, so a reader sees it
 * whole or not at all; the keys expire a week after the last bulk read.
 */
export class RedisSiteStore implements SiteStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = "sep-bot:",
  ) {}

  private keys(repo: string) {
    return { hash: `${this.prefix}site:${repo}`, revision: `${this.prefix}site-revision:${repo}`, sites: `${this.prefix}sites` };
  }

  async replace(repo: string, base: SiteBase): Promise<void> {
    const { hash, revision, sites } = this.keys(repo);
    await this.redis.eval(REPLACE, 3, hash, revision, sites, repo, JSON.stringify(base), JSON.stringify(base.source.rules), base.readAt, TTL_SECONDS);
  }

  async patch(repo: string, patch: SitePatch): Promise<void> {
    const { hash, revision } = this.keys(repo);
    await this.redis.eval(PATCH, 2, hash, revision, String(patch.number), JSON.stringify(patch), patch.readAt);
  }

  async remove(repo: string): Promise<void> {
    const { hash, revision, sites } = this.keys(repo);
    await this.redis.multi().del(hash, revision).srem(sites, repo).exec();
  }

  async revision(repo: string): Promise<number | null> {
    const { hash, revision } = this.keys(repo);
    const [has, value] = await replies(this.redis.multi().hexists(hash, "base").get(revision));
    return has === 1 && typeof value === "string" ? Number(value) : null;
  }

  async get(repo: string): Promise<StoredSite | null> {
    const { hash, revision } = this.keys(repo);
    const [fields, value] = await replies(this.redis.multi().hgetall(hash).get(revision));
    const all = (fields ?? {}) as Record<string, string>;
    if (!all.base) return null;
    const patches = Object.entries(all)
      .filter(([field]) => field.startsWith("pr:"))
      .map(([, json]) => JSON.parse(json) as SitePatch);
    return { base: JSON.parse(all.base) as SiteBase, patches, revision: Number(value ?? 0) };
  }

  async rules(repo: string): Promise<Rules | null> {
    const json = await this.redis.hget(this.keys(repo).hash, "rules");
    return json ? (JSON.parse(json) as Rules) : null;
  }

  async readAt(repo: string): Promise<string | null> {
    return this.redis.hget(this.keys(repo).hash, "readAt");
  }

  /** Repositories whose data is still there (a member whose keys expired is dropped from the set). */
  async repos(): Promise<string[]> {
    const members = await this.redis.smembers(this.keys("").sites);
    if (members.length === 0) return [];
    const alive = await replies(members.reduce((m, repo) => m.exists(this.keys(repo).hash), this.redis.multi()));
    const gone = members.filter((_, i) => alive[i] !== 1);
    if (gone.length) await this.redis.srem(this.keys("").sites, ...gone);
    return members.filter((_, i) => alive[i] === 1).sort();
  }
}

/** The replies of a MULTI, in order; an error in any of them is thrown. */
async function replies(multi: { exec(): Promise<Array<[Error | null, unknown]> | null> }): Promise<unknown[]> {
  return ((await multi.exec()) ?? []).map(([error, value]) => {
    if (error) throw error;
    return value;
  });
}
