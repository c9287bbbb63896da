import type { ChainableCommander, Redis } from "ioredis";
import type { Rules } from "../rules/schema.js";
import type { SiteSource } from "../process/site/build.js";
import type { PersonComment } from "../process/snapshot.js";
import type { SweepPull } from "../process/sweep.js";

/**
 * Where the live site's data waits between page views: per repository, the
 * last bulk read (a sweep's, a refresh's) and each pull request as it was
 * read again after a reconcile. In this process, or in Redis, so every
 * instance behind a load balancer shows the same page and a reconcile on one
 * instance shows on all. A page view reads this store, never GitHub.
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
  /** A new bulk read: it replaces the last one and every patch. */
  replace(repo: string, base: SiteBase): Promise<void>;
  /** One pull request as read after a reconcile (ignored for repositories never read whole). */
  patch(repo: string, patch: SitePatch): Promise<void>;
  /** The current revision, or null when the repository was never read: one cheap call per page view. */
  revision(repo: string): Promise<number | null>;
  get(repo: string): Promise<StoredSite | null>;
  /** The rules the last bulk read used (a patch reads its pull request with them), without the rest. */
  rules(repo: string): Promise<Rules | null>;
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
    this.sites.set(repo, { base, patches: [], revision: ++this.counter });
  }

  async patch(repo: string, patch: SitePatch): Promise<void> {
    const site = this.sites.get(repo);
    if (!site) return;
    this.sites.set(repo, { ...site, patches: [...site.patches.filter((p) => p.number !== patch.number), patch], revision: ++this.counter });
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

  async repos(): Promise<string[]> {
    return [...this.sites.keys()].sort();
  }
}

/**
 * The same in Redis: a hash per repository (`base`, `rules`, `pr:<number>`), a
 * revision counter beside it that only ever grows (a page cached at an old
 * revision is never taken for current), and the set of repositories.
 * Writes are MULTI transactions, so a reader sees a replace whole or not.
 */
export class RedisSiteStore implements SiteStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = "sep-bot:",
  ) {}

  private keys(repo: string) {
    return { hash: `${this.prefix}site:${repo}`, revision: `${this.prefix}site-revision:${repo}` };
  }

  async replace(repo: string, base: SiteBase): Promise<void> {
    const { hash, revision } = this.keys(repo);
    await this.redis
      .multi()
      .del(hash)
      .hset(hash, "base", JSON.stringify(base), "rules", JSON.stringify(base.source.rules))
      .incr(revision)
      .sadd(`${this.prefix}sites`, repo)
      .exec();
  }

  async patch(repo: string, patch: SitePatch): Promise<void> {
    const { hash, revision } = this.keys(repo);
    // Only into a read that is there: a patch alone is not a site.
    if (!(await this.redis.hexists(hash, "base"))) return;
    await this.redis.multi().hset(hash, `pr:${patch.number}`, JSON.stringify(patch)).incr(revision).exec();
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

  async repos(): Promise<string[]> {
    return (await this.redis.smembers(`${this.prefix}sites`)).sort();
  }
}

/** The replies of a MULTI, in order; an error in any of them is thrown. */
async function replies(multi: ChainableCommander): Promise<unknown[]> {
  return ((await multi.exec()) ?? []).map(([error, value]) => {
    if (error) throw error;
    return value;
  });
}
