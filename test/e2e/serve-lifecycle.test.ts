import { existsSync, readFileSync } from "node:fs";
import nock from "nock";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { GitHubFake, webhook, WIF_BEFORE, WIF_NEW_PATH, WIF_PATH, WIF_RENAMED } from "../helpers/github-fake/index.js";
import { useRedis } from "../helpers/redis.js";
import { docker, healthcheck, post, startServe, stopServers } from "../helpers/serve.js";
import { until } from "../helpers/wait.js";

/**
 * `sep-bot serve` as a container runs it: the Dockerfile's exact start
 * command, environment and health check, run as processes (no image can be
 * built here); and a stop (SIGTERM, as `docker stop` sends) in the middle of a
 * reconcile: no new deliveries, the reconcile in flight finishes, the Redis
 * lock is let go, exit 0. GitHub is the fake over HTTP, slow enough that the
 * reconcile is still running when the signal comes.
 */

const redis = useRedis();
afterAll(stopServers);
beforeEach(() => nock.enableNetConnect("127.0.0.1"));

describe("the container", () => {
  it("is Node 24, runs as a non-root user, listens on every interface, starts in exec form, checks /healthz, stops on SIGTERM", () => {
    expect(docker.base).toMatch(/^node:24(-slim|.*distroless.*)/);
    expect(docker.user).toBe("node");
    expect(docker.env).toMatchObject({ NODE_ENV: "production", HOST: "0.0.0.0" });
    expect(docker.cmd).toEqual(["node", "lib/run/bin.js", "serve"]);
    expect(docker.healthcheck.join(" ")).toContain("/healthz");
    expect(docker.stopSignal).toBe("SIGTERM");
    // What the final stage copies from the context exists, and the context keeps out what it must.
    for (const path of docker.copies) expect(existsSync(path), path).toBe(true);
    const ignored = readFileSync(".dockerignore", "utf8").split("\n");
    for (const path of [".git", "node_modules", ".env", "*.pem"]) expect(ignored).toContain(path);
  });

  it("the image's command serves, and its health check passes while it does", async () => {
    const fake = new GitHubFake({ changes: { [WIF_NEW_PATH]: WIF_BEFORE } });
    const github = await fake.listen();
    try {
      const serve = await startServe(github.url, {}, false); // the image's environment, exactly
      expect(serve.log()).toMatch(/Listening on http:\/\/0\.0\.0\.0:\d+/);
      expect(serve.log()).not.toContain("a test setting"); // NODE_ENV=production: no test pace, whatever the environment says
      expect(await healthcheck(serve.port)).toBe(0);
      const health = await (await fetch(`http://127.0.0.1:${serve.port}/healthz`)).json();
      expect(health).toMatchObject({ status: "ok", reconciling: 0 });
      serve.child.kill("SIGTERM");
      expect(await serve.exited).toBe(0);
      expect(await healthcheck(serve.port)).toBe(1); // nobody serves: the check fails
    } finally {
      await github.close();
    }
  });
});

describe("stopping `sep-bot serve` (SIGTERM, as `docker stop` and Kubernetes send)", () => {
  it("in the middle of a reconcile: takes no new delivery, finishes the reconcile, lets go of its Redis lock, exits 0", async () => {
    const fake = new GitHubFake({ changes: { [WIF_NEW_PATH]: WIF_BEFORE } });
    fake.latency = { read: 150, write: 300 }; // a reconcile takes a few seconds
    const github = await fake.listen();
    try {
      const serve = await startServe(github.url, { REDIS_URL: redis.url });
      // Probot answers a delivery once its handler is done (or after ~9 s): the reconcile runs while it waits.
      const delivered = post(serve.port, webhook(fake, { name: "pull_request", action: "opened", sender: "pieter" })).catch(() => 0);
      // The reconcile is under way (it holds the PR's lock in Redis): now the signal.
      for (let i = 0; i < 200 && (await redis.client().keys("sep-bot:lock:*")).length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(await redis.client().keys("sep-bot:lock:*")).toHaveLength(1);
      // The health route answers while the reconcile runs, and says it does.
      expect(await (await fetch(`http://127.0.0.1:${serve.port}/healthz`)).json()).toMatchObject({ status: "ok", reconciling: 1 });
      serve.child.kill("SIGTERM");
      // No new delivery: the server stopped listening (it says so as it closes its listener).
      await until(() => /SIGTERM: no new deliveries/.test(serve.log()), "the SIGTERM handled");
      await expect(post(serve.port, webhook(fake, { name: "pull_request", action: "edited", sender: "pieter" }))).rejects.toThrow();
      expect(await serve.exited).toBe(0);
      expect(await delivered).toBe(200); // the delivery in flight was answered, done
      // The reconcile in flight finished: renamed, checked, labelled, commented.
      expect(fake.headFiles()[WIF_PATH]).toBe(WIF_RENAMED);
      expect(fake.pr.labels).toEqual(["SEP", "proposal"]);
      expect(fake.botComments()).toHaveLength(1);
      expect(await redis.client().keys("sep-bot:lock:*")).toEqual([]);
      expect(serve.log()).toMatch(/SIGTERM: no new deliveries; finishing the 1 reconcile in flight/);
    } finally {
      await github.close();
    }
  });

  it("past its bound (SEP_BOT_SHUTDOWN_SECONDS): stops anyway, says so, lets go of the lock, exits 0", async () => {
    const fake = new GitHubFake({ changes: { [WIF_NEW_PATH]: WIF_BEFORE } });
    fake.latency = { read: 2_000, write: 2_000 }; // far longer than the bound
    const github = await fake.listen();
    try {
      const serve = await startServe(github.url, { REDIS_URL: redis.url, SEP_BOT_SHUTDOWN_SECONDS: "1" });
      void post(serve.port, webhook(fake, { name: "pull_request", action: "opened", sender: "pieter" })).catch(() => 0);
      for (let i = 0; i < 200 && (await redis.client().keys("sep-bot:lock:*")).length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      serve.child.kill("SIGTERM");
      expect(await serve.exited).toBe(0);
      expect(serve.log()).toContain("still running after 1 s: stopping anyway");
      expect(await redis.client().keys("sep-bot:lock:*")).toEqual([]);
    } finally {
      await github.close();
    }
  });
});
