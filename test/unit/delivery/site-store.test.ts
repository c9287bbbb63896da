import { describe, expect, it } from "vitest";
import { currentSource, MemorySiteStore, RedisSiteStore, type SiteBase, type SiteStore } from "../../../src/delivery/site-store.js";
import type { SweepPull } from "../../../src/reports/sweep/due.js";
import { sweepPull } from "../../helpers/sweep-pull.js";
import { useRedis } from "../../helpers/redis.js";
import { rules } from "../../helpers/sep.js";

/** Where the live site's data waits between page views: the same semantics in memory and in a real Redis. */

const redis = useRedis();

const pull = (number: number, title = `PR ${number}`) => sweepPull({ number, title });

const base = (pulls: SweepPull[], readAt: string): SiteBase => ({
  readAt,
  source: { read: { repo: { owner: "o", name: "r", defaultBranch: "main" }, botLogin: "sep-bot[bot]", roles: {}, pulls }, rules, files: [], discussions: [] },
});

describe.each<[string, () => SiteStore]>([
  ["in memory", () => new MemorySiteStore()],
  ["in Redis", () => new RedisSiteStore(redis.client(), `test-${Math.random()}:`)],
])("the site store %s", (_name, make) => {
  it("a patch before any bulk read is ignored; a bulk read then patches; a new bulk read drops the patches", async () => {
    const store = make();
    await store.patch("o/r", { number: 1, pull: pull(1), comments: [], readAt: "2026-12-01T10:00:00Z" });
    expect(await store.revision("o/r")).toBeNull();
    expect(await store.get("o/r")).toBeNull();
    expect(await store.rules("o/r")).toBeNull();

    await store.replace("o/r", base([pull(1), pull(2)], "2026-12-01T09:00:00Z"));
    const r1 = (await store.revision("o/r"))!;
    expect(await store.repos()).toEqual(["o/r"]);
    expect((await store.rules("o/r"))?.sepDirectory).toBe(rules.sepDirectory);

    await store.patch("o/r", { number: 2, pull: pull(2, "Renamed"), comments: [], readAt: "2026-12-01T10:00:00Z" });
    await store.patch("o/r", { number: 3, pull: pull(3), comments: [], readAt: "2026-12-01T10:00:00Z" });
    await store.patch("o/r", { number: 1, pull: null, comments: [], readAt: "2026-12-01T10:00:00Z" }); // gone
    const r2 = (await store.revision("o/r"))!;
    expect(r2).toBeGreaterThan(r1);
    const { source, readAt } = currentSource((await store.get("o/r"))!);
    expect(source.read.pulls.map((p) => [p.number, p.title])).toEqual([[2, "Renamed"], [3, "PR 3"]]);
    expect(readAt).toBe("2026-12-01T10:00:00Z");

    await store.replace("o/r", base([pull(1)], "2026-12-01T11:00:00Z"));
    expect((await store.revision("o/r"))!).toBeGreaterThan(r2);
    expect(currentSource((await store.get("o/r"))!).source.read.pulls.map((p) => p.number)).toEqual([1]);
    expect((await store.get("o/r"))!.patches).toEqual([]); // read before the bulk read: dropped
    expect(await store.readAt("o/r")).toBe("2026-12-01T11:00:00Z");
  });

  it("reads race: a bulk read keeps the patches read after it started; an older patch never overwrites a newer one", async () => {
    const store = make();
    await store.replace("o/r", base([pull(1), pull(2)], "2026-12-01T09:00:00Z"));
    await store.patch("o/r", { number: 2, pull: pull(2, "Read at 11"), comments: [], readAt: "2026-12-01T11:00:00Z" });
    // A slow bulk read that started at 10 lands after the patch read at 11: the patch stays.
    await store.replace("o/r", base([pull(1), pull(2, "Read at 10")], "2026-12-01T10:00:00Z"));
    expect(currentSource((await store.get("o/r"))!).source.read.pulls.map((p) => p.title)).toEqual(["PR 1", "Read at 11"]);
    // Another instance's read of 10:30 arrives late: ignored.
    await store.patch("o/r", { number: 2, pull: pull(2, "Read at 10:30"), comments: [], readAt: "2026-12-01T10:30:00Z" });
    expect(currentSource((await store.get("o/r"))!).source.read.pulls.map((p) => p.title)).toEqual(["PR 1", "Read at 11"]);
  });

  it("a repository taken off the site is gone for every reader", async () => {
    const store = make();
    await store.replace("o/r", base([pull(1)], "2026-12-01T09:00:00Z"));
    await store.replace("o/other", base([pull(1)], "2026-12-01T09:00:00Z"));
    await store.remove("o/r");
    expect(await store.repos()).toEqual(["o/other"]);
    expect(await store.revision("o/r")).toBeNull();
    expect(await store.get("o/r")).toBeNull();
    await store.patch("o/r", { number: 1, pull: pull(1), comments: [], readAt: "2026-12-01T10:00:00Z" });
    expect(await store.get("o/r")).toBeNull(); // a late patch does not bring it back
  });
});

describe("currentSource", () => {
  it("a patch read before the bulk read it would patch is older news: ignored", () => {
    const stored = { base: base([pull(1, "Fresh")], "2026-12-01T10:00:00Z"), patches: [{ number: 1, pull: pull(1, "Stale"), comments: [], readAt: "2026-12-01T09:00:00Z" }], revision: 2 };
    expect(currentSource(stored).source.read.pulls.map((p) => p.title)).toEqual(["Fresh"]);
  });
});

describe("the Redis store", () => {
  it("expires a week after the last bulk read, so a server gone for good leaves nothing behind for long", async () => {
    const client = redis.client();
    const prefix = `ttl-${Math.random()}:`;
    await new RedisSiteStore(client, prefix).replace("o/r", base([pull(1)], "2026-12-01T09:00:00Z"));
    for (const key of [`${prefix}site:o/r`, `${prefix}site-revision:o/r`]) {
      const ttl = await client.ttl(key);
      expect(ttl, key).toBeGreaterThan(6 * 86_400);
      expect(ttl, key).toBeLessThanOrEqual(7 * 86_400);
    }
    // A member whose data expired is dropped from the list.
    await client.del(`${prefix}site:o/r`);
    expect(await new RedisSiteStore(client, prefix).repos()).toEqual([]);
  });

  it("is shared: what one instance stores, another reads", async () => {
    const prefix = `shared-${Math.random()}:`;
    const one = new RedisSiteStore(redis.client(), prefix);
    const two = new RedisSiteStore(redis.client(), prefix);
    await one.replace("o/r", base([pull(7)], "2026-12-01T09:00:00Z"));
    await one.patch("o/r", { number: 8, pull: pull(8), comments: [], readAt: "2026-12-01T10:00:00Z" });
    expect(await two.revision("o/r")).toBe(await one.revision("o/r"));
    expect(currentSource((await two.get("o/r"))!).source.read.pulls.map((p) => p.number)).toEqual([7, 8]);
  });
});
