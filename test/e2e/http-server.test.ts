import { createHmac } from "node:crypto";
import { sign } from "@octokit/webhooks-methods";
import nock from "nock";
import { Probot, Server } from "probot";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sepBot } from "../../src/run/app.js";
import { main } from "../../src/run/cli.js";
import { webhookSecretProblem } from "../../src/run/server/server.js";
import {
  APP_ID,
  BOT,
  GitHubFake,
  INSTALLATION_ID,
  NOW,
  NUMBER,
  OWNER,
  REPO,
  testLog,
  testOctokitClass,
  testPrivateKey,
  webhook,
  WIF_BEFORE,
  WIF_NEW_PATH,
  WIF_PATH,
  WIF_RENAMED,
} from "../helpers/github-fake/index.js";
import { freePort } from "../helpers/redis.js";

/**
 * Probot's real HTTP server on loopback, deliveries sent over HTTP with
 * GitHub's signature header, GitHub itself played by the fake. This is the
 * path production takes: signature check, routing, app, API calls.
 */

const SECRET = "a-long-test-secret-0123456789";
const R = `/repos/${OWNER}/${REPO}`;

// `useNock()` counts every unmatched request as a failure, and nock reports
// our own requests to the loopback server as unmatched too: so this file
// keeps the same guard, minus loopback.
const strays: string[] = [];
const recordStray = (req: { host?: string; hostname?: string; path?: string; method?: string }) => {
  const host = String(req.hostname ?? req.host ?? "");
  if (!host.startsWith("127.0.0.1")) strays.push(`${req.method ?? "?"} ${host}${req.path ?? ""}`);
};

let server: Server;
let base: string;


beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
  nock.emitter.on("no match", recordStray);
  const port = await freePort();
  server = new Server({
    Probot: Probot.defaults({ appId: APP_ID, privateKey: testPrivateKey(), secret: SECRET, Octokit: testOctokitClass() }),
    host: "127.0.0.1",
    port,
    log: testLog(),
  });
  await server.load(sepBot({ botLogin: BOT, now: () => NOW }));
  await server.start();
  base = `http://127.0.0.1:${port}`;
});

beforeEach(() => {
  strays.length = 0;
});

afterEach(() => {
  nock.cleanAll();
  expect(strays, "requests to GitHub that the fake does not serve").toEqual([]);
});

afterAll(async () => {
  await server?.stop();
  nock.emitter.removeListener("no match", recordStray);
  nock.enableNetConnect();
});

interface Post {
  event: string;
  body: string;
  signature?: string | null; // null: no header
}

async function post({ event, body, signature }: Post): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-github-event": event,
    "x-github-delivery": `e2e-${Math.random().toString(36).slice(2)}`,
    "user-agent": "GitHub-Hookshot/e2e",
  };
  if (signature !== null) headers["x-hub-signature-256"] = signature ?? (await sign(SECRET, body));
  const response = await fetch(`${base}/api/github/webhooks`, { method: "POST", headers, body });
  return { status: response.status, text: await response.text() };
}

/**
 * Waits until the fake has seen `done` or stops changing. The middleware may
 * answer before the work is finished (it answers 202 after a few seconds),
 * so the test watches GitHub's side, in a bounded loop.
 */
async function settle(fake: GitHubFake, done: () => boolean = () => false): Promise<void> {
  let seen = -1;
  for (let i = 0; i < 200; i++) {
    if (done()) return;
    if (fake.requests.length === seen && i > 10) return;
    seen = fake.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const openedBody = (fake: GitHubFake) => JSON.stringify(webhook(fake, { name: "pull_request", action: "opened", sender: "pieter" }).payload);

describe("the webhook server", () => {
  it("a signed pull_request.opened: the real server runs the whole reconcile against GitHub", async () => {
    const fake = new GitHubFake({ changes: { [WIF_NEW_PATH]: WIF_BEFORE } }).install();

    const response = await post({ event: "pull_request", body: openedBody(fake) });

    expect([200, 202]).toContain(response.status);
    await settle(fake, () => fake.botComments().length > 0);
    expect(fake.calls()).toEqual([
      `POST /app/installations/${INSTALLATION_ID}/access_tokens`,
      "POST /graphql SepPullRequest",
      "POST /graphql SepContents",
      "POST /graphql SepCommit",
      `POST ${R}/check-runs`,
      `POST ${R}/issues/${NUMBER}/labels`,
      `POST ${R}/issues/${NUMBER}/comments`,
    ]);
    expect(fake.headFiles()[WIF_PATH]).toBe(WIF_RENAMED);
    expect(fake.pr.labels).toEqual(["SEP", "proposal"]);
  });

  it("a delivery whose signature does not match gets 400 and makes no GitHub request", async () => {
    const fake = new GitHubFake({ changes: { [WIF_NEW_PATH]: WIF_BEFORE } }).install();
    const body = openedBody(fake);
    const forged = `sha256=${createHmac("sha256", "not-the-secret").update(body).digest("hex")}`;

    const response = await post({ event: "pull_request", body, signature: forged });

    expect(response.status).toBe(400);
    await settle(fake);
    expect(fake.requests).toEqual([]);
  });

  it("a signature over a different body (the payload was altered) gets 400", async () => {
    const fake = new GitHubFake({ changes: { [WIF_NEW_PATH]: WIF_BEFORE } }).install();
    const body = openedBody(fake);
    const signature = await sign(SECRET, body);

    const altered = body.replace('"sender":{"login":"pieter"', '"sender":{"login":"grace"');
    expect(altered).not.toBe(body);

    const response = await post({ event: "pull_request", body: altered, signature });

    expect(response.status).toBe(400);
    await settle(fake);
    expect(fake.requests).toEqual([]);
  });

  it("a delivery without a signature gets 400 and makes no GitHub request", async () => {
    const fake = new GitHubFake({ changes: { [WIF_NEW_PATH]: WIF_BEFORE } }).install();

    const response = await post({ event: "pull_request", body: openedBody(fake), signature: null });

    expect(response.status).toBe(400);
    expect(response.text).toContain("x-hub-signature-256");
    await settle(fake);
    expect(fake.requests).toEqual([]);
  });
});

describe("webhookSecretProblem: a production start needs a real secret", () => {
  const app = { APP_ID: "123", PRIVATE_KEY: "-----BEGIN RSA PRIVATE KEY-----\n..." };

  it.each([
    ["unset", {}],
    ["Probot's default", { WEBHOOK_SECRET: "development" }],
    ["empty", { WEBHOOK_SECRET: "" }],
  ])("%s: refused with a message naming WEBHOOK_SECRET", (_name, env) => {
    expect(webhookSecretProblem({ ...app, ...env })).toMatch(/WEBHOOK_SECRET is not set/);
  });

  it("a short secret: refused", () => {
    expect(webhookSecretProblem({ ...app, WEBHOOK_SECRET: "hunter2" })).toMatch(/shorter than 16 characters/);
  });

  it("a long secret: accepted", () => {
    expect(webhookSecretProblem({ ...app, WEBHOOK_SECRET: SECRET })).toBeNull();
  });

  it("PRIVATE_KEY_PATH counts as credentials too", () => {
    expect(webhookSecretProblem({ APP_ID: "123", PRIVATE_KEY_PATH: "/run/secrets/key.pem" })).toMatch(/WEBHOOK_SECRET/);
  });

  it("no APP_ID: setup mode (the manifest flow writes the secret), nothing to refuse", () => {
    expect(webhookSecretProblem({})).toBeNull();
    expect(webhookSecretProblem({ WEBHOOK_SECRET: "development" })).toBeNull();
  });

  it("`sep-bot serve` with app credentials but no WEBHOOK_SECRET exits 2 and says why", async () => {
    const keys = ["APP_ID", "PRIVATE_KEY", "PRIVATE_KEY_PATH", "WEBHOOK_SECRET"] as const;
    const saved = Object.fromEntries(keys.map((k) => [k, process.env[k]]));
    try {
      process.env.APP_ID = "123";
      process.env.PRIVATE_KEY = testPrivateKey();
      delete process.env.PRIVATE_KEY_PATH;
      delete process.env.WEBHOOK_SECRET;
      const out: string[] = [];
      const err: string[] = [];

      const code = await main(["serve"], { out: (t) => out.push(t), err: (t) => err.push(t) });

      expect(code).toBe(2);
      expect(out.join("")).toBe("");
      expect(err.join("")).toMatch(/^sep-bot: WEBHOOK_SECRET is not set/);
    } finally {
      for (const k of keys) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
    }
  });
});
