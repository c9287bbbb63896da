import { spawn, type ChildProcess } from "node:child_process";
import { sign } from "@octokit/webhooks-methods";
import nock from "nock";
import { Probot, ProbotOctokit } from "probot";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { RedisCoordinator } from "../../src/delivery/redis.js";
import {
  APP_ID,
  BOT,
  deliver,
  GitHubFake,
  INSTALLATION_ID,
  live,
  liveTo,
  NUMBER,
  OWNER,
  REPO,
  testLog,
  testPrivateKey,
  testProbot,
  webhook,
  WIF_BEFORE,
  WIF_NEW_PATH,
  WIF_PATH,
  WIF_RENAMED,
  type Delivery,
} from "../helpers/github-fake/index.js";
import { useNock } from "../helpers/octokit.js";
import { freePort, useRedis } from "../helpers/redis.js";
import { until } from "../helpers/wait.js";

/**
 * Several instances behind a load balancer, sharing a real redis-server:
 * they must behave exactly like one. First two Probot instances in this
 * process (each with its own Redis connection and nothing else shared), then
 * two `sep-bot serve` processes with REDIS_URL, Probot's throttling on as it
 * ships (paced through Redis), webhooks signed and POSTed over HTTP, GitHub
 * served over HTTP as a GitHub Enterprise host.
 */

useNock();

const R = `/repos/${OWNER}/${REPO}`;
const COMMIT = "POST /graphql SepCommit";
const CHECK = `POST ${R}/check-runs`;
const ADD_LABELS = `POST ${R}/issues/${NUMBER}/labels`;
const CREATE_COMMENT = `POST ${R}/issues/${NUMBER}/comments`;

const redis = useRedis();
beforeEach(() => redis.flush());

const newSep = () => Object.assign(new GitHubFake({ changes: { [WIF_NEW_PATH]: WIF_BEFORE } }).install(), { latency: { read: 4, write: 8 } });
const deletes = (fake: GitHubFake) => fake.calls().filter((c) => c.startsWith("DELETE") && c.includes("/issues/comments/"));
const noLocks = async () => (await redis.client().keys("sep-bot:lock:*")).length === 0;

/** An instance: its own Probot, its own Redis connection. */
const instance = () => testProbot({ coordinator: new RedisCoordinator(redis.client(), { pollMs: 10 }) });

describe("two instances sharing Redis, in one process", () => {
  it("a new SEP PR whose deliveries arrive twice, at both instances: four writes, one of everything, the sequential end state", async () => {
    const reference = newSep();
    const one = await testProbot();
    await deliver(one, webhook(reference, { name: "pull_request", action: "opened", sender: "pieter" }));
    for (let i = 0; i < 10 && reference.events.length; i++) for (const event of reference.takeEvents()) await deliver(one, webhook(reference, event));

    const fake = newSep();
    const instances = [await instance(), await instance()];

    const github = live(fake, instances, { copies: 2, jitterMs: 10 });
    github.send({ name: "pull_request", action: "opened", sender: "pieter" });
    await github.idle(noLocks);

    expect(fake.calls("write")).toEqual([COMMIT, CHECK, ADD_LABELS, CREATE_COMMENT]);
    expect(fake.botCommits()).toHaveLength(1);
    expect(fake.headFiles()[WIF_PATH]).toBe(WIF_RENAMED);
    expect(fake.checkRuns.map((r) => r.headSha)).toEqual([fake.pr.headSha]);
    expect(fake.botComments()).toHaveLength(1);
    expect(deletes(fake)).toEqual([]);
    expect(fake.pr.labels).toEqual(["SEP", "proposal"]);
    expect(fake.visibleState()).toEqual(reference.visibleState());
  });

  it("a burst of edits and a label at both instances: the label put back once", async () => {
    const fake = newSep();
    const instances = [await instance(), await instance()];
    await deliver(instances[0]!, webhook(fake, { name: "pull_request", action: "opened", sender: "pieter" }));
    const settle = live(fake, instances);
    await settle.idle(noLocks);
    fake.resetRequests();

    const github = live(fake, instances, { copies: 2, jitterMs: 20 });
    for (let i = 1; i <= 10; i++) fake.editPullRequest("pieter", `Title v${i}`);
    fake.addLabel("accepted", "mallory");
    await github.idle(noLocks);

    expect(fake.calls("write")).toEqual([`DELETE ${R}/issues/${NUMBER}/labels/accepted`, `PATCH ${R}/issues/comments/${fake.botComments()[0]!.id}`]);
    expect(fake.pr.labels).toEqual(["SEP", "proposal"]);
  });
});

describe("Probot's own pacing with REDIS_URL", () => {
  it("loads ioredis and keeps its throttling state in the shared Redis", async () => {
    const fake = newSep();
    const probot = new Probot({
      appId: APP_ID,
      privateKey: testPrivateKey(),
      redisConfig: redis.url,
      // Probot's own Octokit, throttling on as it ships (retry off only to keep a failure visible).
      Octokit: ProbotOctokit.defaults((o: Record<string, unknown>) => ({ ...o, retry: { enabled: false } })),
      log: testLog(),
    });
    const octokit = await probot.auth(INSTALLATION_ID);
    await octokit.graphql("query { viewer { login } }");
    await octokit.rest.issues.addLabels({ owner: OWNER, repo: REPO, issue_number: NUMBER, labels: ["SEP"] });

    const keys = await redis.client().keys("b_*");
    expect(keys.some((k) => k.includes("octokit-write"))).toBe(true);
    expect(fake.pr.labels).toEqual(["SEP"]);
  });
});

describe("two `sep-bot serve` processes with REDIS_URL, over HTTP", () => {
  const SECRET = "a-long-test-secret-0123456789abcdef";
  const servers: ChildProcess[] = [];
  afterAll(() => servers.forEach((s) => s.kill("SIGKILL")));

  /** `schedule`: SEP_BOT_SCHEDULE; off by default, so only deliveries write. */
  async function startServer(githubUrl: string, schedule = "off", extra: Record<string, string> = {}): Promise<string> {
    const port = await freePort();
    const host = new URL(githubUrl).host;
    const child = spawn(process.execPath, ["bin/sep-bot.js", "serve"], {
      cwd: process.cwd(),
      env: {
        ...process.env,
        APP_ID: String(APP_ID),
        PRIVATE_KEY: testPrivateKey(),
        WEBHOOK_SECRET: SECRET,
        PORT: String(port),
        HOST: "127.0.0.1",
        REDIS_URL: redis.url,
        GHE_HOST: host,
        GHE_PROTOCOL: "http",
        LOG_LEVEL: "info",
        LOG_FORMAT: "json",
        // GitHub's pacing shape at a test pace (writes 100 ms apart): what is shared through Redis is the same.
        NODE_ENV: "test",
        SEP_BOT_TEST_PACE_MS: "100",
        SEP_BOT_SCHEDULE: schedule,
        ...extra,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    servers.push(child);
    let log = "";
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve did not start:\n${log}`)), 15_000);
      const onData = (d: Buffer) => {
        log += d.toString();
        if (/Listening on http/.test(log)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on("data", onData);
      child.stderr!.on("data", onData);
      child.once("exit", (code) => reject(new Error(`serve exited with ${code}:\n${log}`)));
    });
    expect(log).toContain("several instances: deliveries are serialised per pull request through Redis");
    return `http://127.0.0.1:${port}/api/github/webhooks`;
  }

  const over = (url: string) => async (delivery: Delivery) => {
    const body = JSON.stringify(delivery.payload);
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": delivery.name,
        "x-github-delivery": delivery.id,
        "x-hub-signature-256": await sign(SECRET, body),
      },
      body,
    });
    if (response.status >= 300) throw new Error(`${delivery.name}: HTTP ${response.status} ${await response.text()}`);
  };

  it("a new SEP PR delivered twice to two servers: four writes, one of everything, GitHub's pacing shared", async () => {
    nock.enableNetConnect("127.0.0.1");
    const fake = new GitHubFake({ changes: { [WIF_NEW_PATH]: WIF_BEFORE } });
    const github = await fake.listen();
    try {
      const urls = await Promise.all([startServer(github.url), startServer(github.url)]);
      const deliveries = liveTo(fake, urls.map(over), { copies: 2, jitterMs: 20 });
      deliveries.send({ name: "pull_request", action: "opened", sender: "pieter" });
      await deliveries.idle(noLocks);

      expect(fake.calls("write")).toEqual([COMMIT, CHECK, ADD_LABELS, CREATE_COMMENT]);
      expect(fake.botCommits()).toHaveLength(1);
      expect(fake.headFiles()[WIF_PATH]).toBe(WIF_RENAMED);
      expect(fake.checkRuns).toHaveLength(1);
      expect(fake.botComments()).toHaveLength(1);
      expect(fake.botComments()[0]!.author).toBe(BOT);
      expect(deletes(fake)).toEqual([]);

      // GitHub's pacing is shared: two more SEP PRs, one delivered to each server, at once. Both
      // processes then pace their writes through one limiter in Redis: each, as a client of the
      // installation's write limiter, runs Bottleneck's scripts on its keys. Redis's own MONITOR
      // sees every call (the registry of clients does not do: Bottleneck drops a client there that
      // is a second late to answer, as a loaded machine can be). An unshared pace would show two
      // limiters, each with one client, or none in Redis at all.
      const watcher = await redis.client().monitor();
      const paced = new Map<string, Set<string>>(); // write limiter -> its clients that ran a script
      const done = new Map<string, number>(); // write or read limiter -> jobs done
      const echoed = new Set<string>();
      const before = fake.requests.length;
      watcher.on("monitor", (_time: string, args: string[]) => {
        if (/^echo$/i.test(String(args[0]))) echoed.add(String(args[1]));
        const finished = /^hincrby$/i.test(String(args[0])) && args[2] === "done" ? /^b_((?:octokit-write|sep-bot-graphql-read)-.+)_settings$/.exec(String(args[1]))?.[1] : undefined;
        if (finished) done.set(finished, (done.get(finished) ?? 0) + 1);
        if (!/^eval(sha)?$/i.test(String(args[0]))) return;
        // EVAL(SHA) script numkeys key... arg...; a Bottleneck script's arguments are its clock, the calling client's id,
        // then its own. Only the script that lets a request run counts (register: the job's id, weight and expiry), not
        // a heartbeat or a client's registration, which an earlier test's limiter, left in this worker, still sends.
        const keys = args.slice(3, 3 + Number(args[2]));
        const [, client, ...own] = args.slice(3 + keys.length);
        // (The App's own client, which lists installations for the site, has a limiter of its own: "no-id".)
        const limiter = keys.map((k) => /^b_(octokit-write-(?!no-id_).+?)_settings$/.exec(k)?.[1]).find(Boolean);
        if (limiter && client && own.length >= 3) paced.set(limiter, (paced.get(limiter) ?? new Set()).add(client));
      });
      try {
        const more = [1934, 1935].map((number) => fake.openPullRequest({ number, changes: { [`seps/0000-widgets-${number}.md`]: WIF_BEFORE.replace("Workload Identity Federation", `Widgets ${number}`) } }));
        fake.takeEvents();
        await Promise.all(more.map((pr, i) => over(urls[i]!)(webhook(fake, { name: "pull_request", action: "opened", sender: "pieter", number: pr.number }))));
        const met = () => more.every((pr) => fake.botComments(pr.number).length === 1) && fake.requests.length > 0;
        for (let i = 0; i < 300 && !(met() && (await noLocks())); i++) await new Promise((resolve) => setTimeout(resolve, 100));
        expect(met()).toBe(true);
        // Every command sent before this one has reached the watcher once this one has.
        await redis.client().echo("all seen");
        await until(() => echoed.has("all seen"), "the MONITOR stream");
      } finally {
        watcher.disconnect();
      }
      expect([...paced.keys()]).toEqual([`octokit-write-${INSTALLATION_ID}`]);
      expect(paced.get(`octokit-write-${INSTALLATION_ID}`)!.size).toBe(2);
      // Every write (any REST method but GET, and GraphQL mutations), the event's included, went through it;
      // every GraphQL query through the installation's read gate, shared in Redis too, and none through the write pace.
      const after = fake.requests.slice(before).filter((r) => !r.path.startsWith("/app/"));
      expect(done.get(`octokit-write-${INSTALLATION_ID}`)).toBe(after.filter((r) => r.kind === "write").length);
      expect(done.get(`sep-bot-graphql-read-${INSTALLATION_ID}`)).toBe(after.filter((r) => r.path === "/graphql" && r.kind === "read").length);
    } finally {
      await github.close();
      nock.disableNetConnect();
    }
  });

  it("the weekly schedule on both: each slot (and the catch-up at start) runs on one of them; one digest issue", async () => {
    nock.enableNetConnect("127.0.0.1");
    const fake = new GitHubFake({ changes: { [WIF_PATH]: WIF_RENAMED }, createdAt: new Date(Date.now() - 3 * 86_400_000).toISOString() });
    fake.clock = Date.now();
    const github = await fake.listen();
    try {
      await redis.client().flushall();
      // Every two seconds, for the test; the catch-up at start runs too (the last slot is this week's, no digest yet).
      // The live site lists the installations at start-up too: off here, where the listings are counted.
      const weeklyOnly = { SEP_BOT_SITE: "off" };
      await Promise.all([startServer(github.url, "*/2 * * * * *", weeklyOnly), startServer(github.url, "*/2 * * * * *", weeklyOnly)]);
      const deadline = Date.now() + 30_000;
      while (fake.issues.size === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
      await new Promise((resolve) => setTimeout(resolve, 4_000)); // a few more slots
      // One pass over the installations per slot won: a slot run on both processes would list them twice.
      // The passes are counted before the slots' keys: a pass lists after its slot's key is set, so every
      // pass counted has its key (counted after, a slot won in between would add a pass and not its key).
      const passes = fake.calls().filter((c) => c === "GET /app/installations").length;
      // The slots' keys (not the week's digest lock, under the same prefix).
      const slots = (await redis.client().keys("sep-bot:sweep:*")).filter((k) => !k.startsWith("sep-bot:sweep:digest:"));
      expect(await redis.client().keys("sep-bot:sweep:digest:*")).toHaveLength(1);
      expect(fake.issues.size).toBe(1);
      expect(slots.length).toBeGreaterThanOrEqual(2);
      expect(passes).toBeLessThanOrEqual(slots.length);
      expect(passes).toBeGreaterThanOrEqual(1);
      expect(fake.botComments().filter((c) => c.body.includes("sep-bot:status"))).toHaveLength(1);
    } finally {
      servers.splice(0).forEach((s) => s.kill("SIGKILL"));
      await github.close();
      nock.disableNetConnect();
    }
  });
});
