import { readFileSync } from "node:fs";
import nock from "nock";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { OWNER, REPO, webhook } from "../helpers/github-fake/index.js";
import { useNock } from "../helpers/octokit.js";
import { useClosers } from "../helpers/process.js";
import { useRedis } from "../helpers/redis.js";
import { post, startServe, stopServers } from "../helpers/serve.js";
import { until } from "../helpers/wait.js";
import { siteRepository } from "../unit/reports/site/scenario.js";
import { validate } from "../unit/reports/site/json-schema.js";

/**
 * The SEP site served live by `sep-bot serve` (the container's command, as a
 * process, against the stateful fake over HTTP): read once at start-up, a
 * page view never reaches GitHub, a reconcile shows on the page after one
 * read of its pull request, /healthz says how old the data is; with Redis,
 * every instance shows what any one of them read.
 */

useNock(); // the scenario's own sweep goes through nock; the servers reach the fake over HTTP
const redis = useRedis();
const closeAfter = useClosers();
afterAll(stopServers);
beforeEach(() => nock.enableNetConnect("127.0.0.1"));

const SCHEMA = JSON.parse(readFileSync("docs/seps-v2.schema.json", "utf8")) as object;
const REPOSITORY = `${OWNER}/${REPO}`;

interface Health {
  status: string;
  site?: Array<{ repo: string; readAt: string; ageSeconds: number }>;
}
const get = (port: number, path: string, headers: Record<string, string> = {}) => fetch(`http://127.0.0.1:${port}${path}`, { headers });
const health = async (port: number) => (await (await get(port, "/healthz")).json()) as Health;
const sepsJson = async (port: number) => (await (await get(port, "/seps.json")).json()) as { seps: Array<{ number: number; status: string }> };
/** Until the server's first read of the repository is done (the health route lists it). */
const firstRead = (port: number) => until(async () => (await health(port)).site?.length === 1, "the first read");
const statusOf = async (port: number, n: number) => (await sepsJson(port)).seps.find((s) => s.number === n)?.status;

describe("the live site (`sep-bot serve`)", () => {
  it("serves the page and seps.json from its one read; page views never reach GitHub; a reconcile shows after one read of its pull request", async () => {
    const fake = await siteRepository();
    const github = await fake.listen();
    closeAfter(github.close);
    // The two events' reconciles run one after the other: the delay must outlast both for them to cost one read.
    const serve = await startServe(github.url, { SEP_BOT_SITE_PATCH_DELAY_MS: "2000" });

    // Read at start-up: the health route says so, and how old it is.
    await firstRead(serve.port);
    const first = (await health(serve.port)).site![0]!;
    expect(first.repo).toBe(REPOSITORY);
    expect(first.ageSeconds).toBeGreaterThanOrEqual(0);

    fake.resetRequests();
    const page = await get(serve.port, "/");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(page.headers.get("content-security-policy")).toContain("default-src 'none'");
    const html = await page.text();
    expect(html).toContain("Reviewed Widgets");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;"); // a hostile title, escaped
    const json = JSON.parse(await (await get(serve.port, "/seps.json")).text()) as unknown;
    expect(validate(SCHEMA, json)).toEqual([]);
    for (const asset of ["/site.css", "/site.js", "/index.html"]) expect((await get(serve.port, asset)).status, asset).toBe(200);
    // A browser revalidating gets 304 for nothing; a path that is not the site's is a 404.
    const etag = page.headers.get("etag")!;
    expect((await get(serve.port, "/", { "if-none-match": etag })).status).toBe(304);
    expect((await get(serve.port, "/secrets.json")).status).toBe(404);
    // None of that asked GitHub anything.
    expect(fake.requests).toEqual([]);

    // The sponsor moves #2002 to review with its label: the reconcile commits the Status, and the page follows.
    expect(await statusOf(serve.port, 2002)).toBe("draft");
    fake.takeEvents(); // the scenario's own history, which sep-bot already swept
    fake.removeLabel("draft", "max", 2002);
    fake.addLabel("in-review", "max", 2002);
    for (const event of fake.takeEvents()) expect(await post(serve.port, webhook(fake, event))).toBeLessThan(300);
    await until(async () => (await statusOf(serve.port, 2002)) === "in-review", "the page showing #2002 in review");
    expect(fake.calls().filter((c) => c.includes("SepSitePulls"))).toHaveLength(1); // one read for the page, however many events
    expect((await get(serve.port, "/", { "if-none-match": etag })).status).toBe(200); // the page changed
    const after = (await health(serve.port)).site![0]!;
    expect(after.readAt >= first.readAt).toBe(true);
  });

  it("with Redis: a second instance shows the first one's read and its reconciles, without reading anything itself", async () => {
    const fake = await siteRepository();
    const github = await fake.listen();
    closeAfter(github.close);
    const one = await startServe(github.url, { REDIS_URL: redis.url, SEP_BOT_SITE_PATCH_DELAY_MS: "50" });
    await until(async () => (await health(one.port)).site?.length === 1, "the first instance's read");
    fake.resetRequests();
    const two = await startServe(github.url, { REDIS_URL: redis.url, SEP_BOT_SITE_PATCH_DELAY_MS: "50" });
    expect((await health(two.port)).site?.map((s) => s.repo)).toEqual([REPOSITORY]);
    expect(await get(two.port, "/").then((r) => r.text())).toContain("Reviewed Widgets");
    // The second instance found the data in Redis: it listed the repositories, and read none of them.
    await until(() => two.log().includes("Listening"));
    expect(fake.calls().filter((c) => c.includes("graphql"))).toEqual([]);

    // A reconcile on the first instance shows on the second.
    fake.takeEvents();
    fake.removeLabel("draft", "max", 2002);
    fake.addLabel("in-review", "max", 2002);
    for (const event of fake.takeEvents()) await post(one.port, webhook(fake, event));
    await until(async () => (await statusOf(two.port, 2002)) === "in-review", "the second instance showing #2002 in review");
  });

  it("a private repository is not shown (the page has no login), unless SEP_BOT_SITE_PRIVATE=true", async () => {
    const fake = await siteRepository();
    fake.private = true;
    const github = await fake.listen();
    closeAfter(github.close);
    const hidden = await startServe(github.url, {});
    // Listed, and hidden (not "being read", 503): the page says why.
    await until(async () => (await get(hidden.port, "/")).status === 404, "the page saying why");
    expect((await health(hidden.port)).site).toEqual([]);
    const refused = await get(hidden.port, "/");
    expect(refused.status).toBe(404);
    expect(await refused.text()).toContain(`${REPOSITORY} is not shown here: it is private (SEP_BOT_SITE_PRIVATE=true shows private repositories`);
    expect(fake.calls().filter((c) => c.includes("graphql"))).toEqual([]);

    const shown = await startServe(github.url, { SEP_BOT_SITE_PRIVATE: "true" });
    await until(async () => (await health(shown.port)).site?.length === 1, "the read");
    expect((await get(shown.port, "/")).status).toBe(200);
  });
});

describe("what the live site shows, and what it never does", () => {
  it("a repository that turns private is taken off the site at the next read of it, and the page says why", async () => {
    const fake = await siteRepository();
    const github = await fake.listen();
    closeAfter(github.close);
    const serve = await startServe(github.url, { SEP_BOT_SITE_PATCH_DELAY_MS: "50" });
    await firstRead(serve.port);
    fake.private = true; // made private on GitHub; the next reconcile's read sees it
    fake.takeEvents();
    fake.editPullRequest("ada", "Drafted Widgets, renamed", 2002);
    for (const event of fake.takeEvents()) await post(serve.port, webhook(fake, event));
    await until(async () => (await health(serve.port)).site?.length === 0, "the site taken down");
    const page = await get(serve.port, "/");
    expect(page.status).toBe(404);
    expect(await page.text()).toContain("is private");
    expect((await get(serve.port, "/seps.json")).status).toBe(404);
  });

  it("SEP_BOT_SITE_REPO: only that repository is read and shown; one sep-bot is not installed on is said so", async () => {
    const fake = await siteRepository();
    const github = await fake.listen();
    closeAfter(github.close);
    const serve = await startServe(github.url, { SEP_BOT_SITE_REPO: "someone/else" });
    await until(async () => (await get(serve.port, "/")).status === 404, "the page saying why");
    expect(await (await get(serve.port, "/")).text()).toContain("someone/else is not shown here: sep-bot is not installed on it (check SEP_BOT_SITE_REPO)");
    expect(fake.calls().filter((c) => c.includes("graphql"))).toEqual([]); // the installed repository was not read
    expect((await get(serve.port, `/${REPOSITORY}/`)).status).toBe(404);
  });
});
