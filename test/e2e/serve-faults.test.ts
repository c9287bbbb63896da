import { spawn, type ChildProcess } from "node:child_process";
import { request } from "node:http";
import { sign } from "@octokit/webhooks-methods";
import nock from "nock";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { GitHubFake, webhook, WIF_BEFORE, WIF_NEW_PATH, WIF_PATH, WIF_RENAMED } from "../helpers/github-fake/index.js";
import { freePort } from "../helpers/redis.js";
import { post, SECRET, startServe, stopServers, type Served } from "../helpers/serve.js";
import { sepText } from "../helpers/sep.js";
import { until } from "../helpers/wait.js";

/**
 * `sep-bot serve` as a process, fed what an attacker or a broken proxy
 * sends (bodies larger than GitHub ever sends, unsigned bodies), with
 * GitHub failing longer than Octokit retries, an instance killed in the
 * middle of a reconcile, Redis going away and coming back empty, and a
 * stop while its standard output is gone.
 */

afterAll(stopServers);
beforeEach(() => nock.enableNetConnect("127.0.0.1"));

/** POSTs `body` (or `size` bytes of one) to the webhook route, as a stream; resolves with the status (0: the connection was cut). */
function postRaw(port: number, headers: Record<string, string>, chunks: Iterable<Buffer>): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: "127.0.0.1", port, method: "POST", path: "/api/github/webhooks", headers }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", () => resolve(0));
    (async () => {
      for (const chunk of chunks) {
        if (req.destroyed) return;
        if (!req.write(chunk)) await new Promise((r) => req.once("drain", r));
      }
      req.end();
    })().catch(() => undefined);
  });
}

/** `sep-bot serve` in front of the fake (a new SEP pull request, served over HTTP): `test` runs, then the fake closes. */
async function onServer(test: (fake: GitHubFake, serve: Served) => Promise<void>, options: { env?: Record<string, string>; prepare?: (fake: GitHubFake) => void } = {}): Promise<void> {
  const fake = new GitHubFake({ changes: { [WIF_NEW_PATH]: WIF_BEFORE } });
  options.prepare?.(fake);
  const github = await fake.listen();
  try {
    await test(fake, await startServe(github.url, options.env));
  } finally {
    await github.close();
  }
}

const MB = 1024 * 1024;
/** A JSON body of `bytes` bytes, in 1 MB chunks, each carrying a marker that must never reach the log. */
function* bigBody(bytes: number, marker: string): Generator<Buffer> {
  const filler = Buffer.alloc(MB, `${marker} `);
  yield Buffer.from('{"x":"');
  let sent = 6;
  while (sent + MB < bytes - 2) {
    yield filler;
    sent += MB;
  }
  yield Buffer.alloc(bytes - 2 - sent, "y");
  yield Buffer.from('"}');
}

const headers = (id: string, extra: Record<string, string> = {}) => ({
  "content-type": "application/json",
  "x-github-event": "pull_request",
  "x-github-delivery": id,
  "x-hub-signature-256": "sha256=" + "0".repeat(64),
  ...extra,
});

describe("deliveries no GitHub would send", () => {
  it("a 30 MB body with a bogus signature: refused (413) while it is read, and the log says its size and delivery id, never its content", () =>
    onServer(async (fake, serve) => {
      const before = serve.log().length;
      // Streamed without a length (chunked): the limit holds while reading.
      const status = await postRaw(serve.port, headers("big-chunked"), bigBody(30 * MB, "SECRET-MARKER"));
      expect([413, 0]).toContain(status); // 413, or the connection cut once the answer was sent
      // With a declared length over the limit: refused before a byte of the body is read.
      const declared = await postRaw(serve.port, headers("big-declared", { "content-length": String(30 * MB) }), bigBody(30 * MB, "SECRET-MARKER"));
      expect([413, 0]).toContain(declared);
      await until(() => /big-declared/.test(serve.log()), "the refusal logged");
      const logged = serve.log().slice(before);
      expect(logged).not.toContain("SECRET-MARKER");
      expect(logged.length).toBeLessThan(20_000);
      expect(logged).toMatch(/big-chunked/);
      expect(logged).toMatch(/25 MB/);
      // It still serves.
      expect((await fetch(`http://127.0.0.1:${serve.port}/healthz`)).status).toBe(200);
    }));

  it("a body under the limit with a bad signature: 400, logged as its size and delivery id, never its content, and nothing is read from GitHub", () =>
    onServer(async (fake, serve) => {
      const before = serve.log().length;
      const delivery = webhook(fake, { name: "pull_request", action: "opened", sender: "pieter" });
      const body = JSON.stringify({ ...delivery.payload, note: "UNSIGNED-MARKER" });
      const status = await postRaw(serve.port, headers(delivery.id), [Buffer.from(body)]);
      expect(status).toBe(400);
      await until(() => serve.log().slice(before).includes(delivery.id), "the refusal logged");
      const logged = serve.log().slice(before);
      expect(logged).not.toContain("UNSIGNED-MARKER");
      expect(logged).toContain(String(Buffer.byteLength(body)));
      expect(fake.requests).toEqual([]);
    }, { env: { SEP_BOT_SITE: "off" } })); // the live site reads at start: nothing else may

  it("a signed delivery whose reconcile fails: the log names the delivery, never the payload", () =>
    onServer(async (fake, serve) => {
      const delivery = webhook(fake, { name: "pull_request", action: "opened", sender: "pieter" });
      const payload = { ...delivery.payload, note: "SIGNED-MARKER" };
      const status = await post(serve.port, { ...delivery, payload });
      expect(status).toBe(500);
      await until(() => serve.log().includes(delivery.id), "the failure logged");
      expect(serve.log()).not.toContain("SIGNED-MARKER");
    }, { prepare: (fake) => fake.inject({ path: "/graphql", operation: "SepPullRequest", times: 100, reply: { status: 404, body: { message: "Not Found" } } }) }));

  it("a valid delivery still runs (signed with the secret)", () =>
    onServer(async (fake, serve) => {
      const delivery = webhook(fake, { name: "pull_request", action: "opened", sender: "pieter" });
      const body = JSON.stringify(delivery.payload);
      const status = await postRaw(serve.port, headers(delivery.id, { "x-hub-signature-256": await sign(SECRET, body) }), [Buffer.from(body)]);
      expect(status, serve.log().slice(-3000)).toBe(200);
      expect(fake.botComments()).toHaveLength(1);
    }));
});

describe("stopping without a reader", () => {
  it("SIGTERM ends the process when its standard output is a pipe nobody reads any more", () =>
    onServer(async (fake, serve) => {
      serve.child.stdout!.destroy(); // the reader went away (a log shipper that died)
      serve.child.kill("SIGTERM");
      expect(await serve.exited).toBe(0);
    }));

  it("SIGTERM ends the process when its standard output is a full pipe (the reader stopped reading)", () =>
    onServer(async (fake, serve) => {
      // The reader stops reading; every request is logged with its URL: 400 kB of lines, far past a pipe's 64 kB.
      serve.child.stdout!.pause();
      serve.child.stdout!.removeAllListeners("data");
      for (let batch = 0; batch < 20; batch++) {
        await Promise.all(Array.from({ length: 10 }, () => fetch(`http://127.0.0.1:${serve.port}/ping?${"x".repeat(2000)}`).then((r) => r.text())));
    }
    serve.child.kill("SIGTERM");
    expect(await serve.exited).toBe(0);
    }, { env: { LOG_LEVEL: "debug" } }));
});

describe("GitHub failing longer than Octokit retries", () => {
  it("a reconcile that fails past its retries (four 502s on its read) is retried later, shown in /healthz meanwhile, and ends reconciled", async () => {
    const fake = new GitHubFake({ changes: { [WIF_NEW_PATH]: WIF_BEFORE } });
    fake.inject({ path: "/graphql", operation: "SepPullRequest", times: 4, reply: { status: 502, body: { message: "Bad Gateway" } } });
    // The retry's read waits until the test has looked at /healthz.
    let letRetryRun = () => {};
    const looked = new Promise<void>((resolve) => (letRetryRun = resolve));
    fake.inject({ path: "/graphql", operation: "SepPullRequest", nth: 5, before: () => looked });
    const github = await fake.listen();
    try {
      const serve = await startServe(github.url, { SEP_BOT_RETRY_DELAYS: "1,60" });
      expect(await post(serve.port, webhook(fake, { name: "pull_request", action: "opened", sender: "pieter" }))).toBe(500);
      expect(fake.requests.filter((r) => r.operation === "SepPullRequest").map((r) => r.status)).toEqual([502, 502, 502, 502]);
      expect(fake.writes()).toEqual([]);
      const health = (await (await fetch(`http://127.0.0.1:${serve.port}/healthz`)).json()) as { status: string; problems: string[]; retries: { pending: number } };
      expect(health.status).toBe("degraded");
      expect(health.retries.pending).toBe(1);
      expect(health.problems.join("\n")).toMatch(/1 failed reconcile waits to be retried/);
      letRetryRun();
      await until(() => fake.botComments().length === 1 && fake.latestCheck() !== undefined, "the retried reconcile");
      expect(fake.botCommits()).toHaveLength(1);
      expect(fake.headFiles()[WIF_PATH]).toBe(WIF_RENAMED);
      expect(fake.pr.labels).toEqual(["SEP", "proposal"]);
      await until(async () => ((await (await fetch(`http://127.0.0.1:${serve.port}/healthz`)).json()) as { retries: { pending: number } }).retries.pending === 0, "the retry removed");
      // The log line reaches the pipe a moment after the retry is counted done: wait for it, do not race it.
      await until(() => /the retried reconcile succeeded/.test(serve.log()), "the retry's success logged");
    } finally {
      await github.close();
    }
  });
});

/** A redis-server on `port` (no persistence: restarted, it comes back empty). */
function redisServer(port: number): { process: ChildProcess; exited: Promise<unknown> } {
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  return { process: child, exited: new Promise((resolve) => child.once("exit", resolve)) };
}

async function health(port: number): Promise<{ code: number; body: { status: string; redis?: { ok: boolean; error?: string } } }> {
  const response = await fetch(`http://127.0.0.1:${port}/healthz`);
  return { code: response.status, body: (await response.json()) as { status: string; redis?: { ok: boolean } } };
}

describe("several instances (Redis) when things break", () => {
  it("an instance killed in the middle of a reconcile does not keep its delivery: GitHub's redelivery to another instance runs it", async () => {
    const port = await freePort();
    const redis = redisServer(port);
    const fake = new GitHubFake({ changes: { [WIF_NEW_PATH]: WIF_BEFORE } });
    // The first instance's first read never gets an answer: it is killed waiting.
    fake.inject({ path: "/graphql", operation: "SepPullRequest", nth: 1, before: () => new Promise(() => {}) });
    const github = await fake.listen();
    try {
      const env = { REDIS_URL: `redis://127.0.0.1:${port}`, SEP_BOT_LOCK_SECONDS: "2" };
      const [first, second] = await Promise.all([startServe(github.url, env), startServe(github.url, env)]);
      const delivery = webhook(fake, { name: "pull_request", action: "opened", sender: "pieter" });
      void post(first.port, delivery).catch(() => 0);
      await until(() => fake.requests.some((r) => r.operation === "SepPullRequest"), "the first instance reconciling");
      first.child.kill("SIGKILL");
      await first.exited;
      // Someone presses "Redeliver" (same delivery id), and the load balancer sends it to the other instance:
      // skipped while the dead instance's claim may still stand, run once it lapsed.
      await until(
        async () => {
          await post(second.port, delivery);
          return fake.botComments().length === 1;
        },
        "the redelivery run",
      );
      expect(fake.botCommits()).toHaveLength(1);
      expect(fake.headFiles()[WIF_PATH]).toBe(WIF_RENAMED);
      expect(fake.pr.labels).toEqual(["SEP", "proposal"]);
      // Once done, it is done: another redelivery is a duplicate.
      const writes = fake.writes().length;
      expect(await post(second.port, delivery)).toBe(200);
      expect(fake.writes()).toHaveLength(writes);
      await until(() => /duplicate delivery: already handled/.test(second.log()), "the duplicate logged");
    } finally {
      redis.process.kill("SIGKILL");
      await github.close();
    }
  });

  it("Redis down: /healthz says so (503) and deliveries fail; Redis back, empty: the next delivery runs at once", async () => {
    const port = await freePort();
    let redis = redisServer(port);
    const fake = new GitHubFake({ changes: { [WIF_NEW_PATH]: WIF_BEFORE } });
    const github = await fake.listen();
    try {
      const serve = await startServe(github.url, { REDIS_URL: `redis://127.0.0.1:${port}` });
      await until(async () => (await health(serve.port)).code === 200, "Redis reached");
      expect(await post(serve.port, webhook(fake, { name: "pull_request", action: "opened", sender: "pieter" }))).toBe(200);
      expect(fake.botComments()).toHaveLength(1); // the pacing's state is in Redis now

      redis.process.kill("SIGKILL");
      await redis.exited;
      await until(async () => (await health(serve.port)).code === 503, "/healthz saying Redis is down");
      const down = await health(serve.port);
      expect(down.body.redis).toMatchObject({ ok: false });
      expect(await post(serve.port, webhook(fake, { name: "pull_request", action: "edited", sender: "pieter" }))).toBe(500);

      redis = redisServer(port); // back, with nothing in it
      await until(async () => (await health(serve.port).catch(() => ({ code: 0 }))).code === 200, "/healthz seeing Redis again");
      const text = sepText({ heading: "# SEP-0000: Streaming Widgets", pr: "https://github.com/modelcontextprotocol/modelcontextprotocol/pull/{NUMBER}" });
      fake.openPullRequest({ number: 1950, author: "ada", changes: { "seps/0000-streaming-widgets.md": text } });
      const status = await post(serve.port, webhook(fake, { name: "pull_request", action: "opened", sender: "ada", number: 1950 }));
      expect(status, serve.log().slice(-2000)).toBe(200);
      expect(fake.botComments(1950)).toHaveLength(1);
      expect(Object.keys(fake.headFiles(1950))).toContain("seps/1950-streaming-widgets.md");
      expect(serve.log()).not.toMatch(/SETTINGS_KEY_NOT_FOUND/);
    } finally {
      redis.process.kill("SIGKILL");
      await github.close();
    }
  });
});
