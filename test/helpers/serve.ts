import { execFile, spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { sign } from "@octokit/webhooks-methods";
import { APP_ID, testPrivateKey, type Delivery } from "./github-fake/index.js";
import { TEST_PACE } from "./process.js";
import { freePort } from "./redis.js";

/**
 * `sep-bot serve` run the way its container runs it: the Dockerfile's final
 * stage read for its command, environment and health check, started as a
 * process against the fake over HTTP (GHE_HOST), with signed deliveries.
 * Call `stopServers` after the file's tests.
 */

export const SECRET = "a-long-test-secret-0123456789abcdef";
const children: ChildProcess[] = [];
export const stopServers = () => children.splice(0).forEach((c) => c.kill("SIGKILL"));

export interface Dockerfile {
  base: string;
  user: string | null;
  env: Record<string, string>;
  cmd: string[];
  healthcheck: string[];
  copies: string[];
  stopSignal: string | null;
}

/** The final stage of the Dockerfile: what the image runs, as the tests must run it. */
export function readDockerfile(): Dockerfile {
  const stages = readFileSync("Dockerfile", "utf8").split(/^FROM /m).slice(1);
  const last = stages.at(-1)!;
  const lines = last.split("\n");
  const json = (directive: string) => {
    const line = lines.find((l) => l.startsWith(`${directive} `) || l.includes(` CMD [`) && directive === "HEALTHCHECK");
    if (!line) return [];
    return JSON.parse(line.slice(line.indexOf("["))) as string[];
  };
  const env: Record<string, string> = {};
  for (const line of lines.filter((l) => l.startsWith("ENV "))) for (const m of line.slice(4).matchAll(/(\w+)=(\S+)/g)) env[m[1]!] = m[2]!;
  return {
    base: lines[0]!.trim(),
    user: lines.find((l) => l.startsWith("USER "))?.slice(5).trim() ?? null,
    env,
    cmd: json("CMD"),
    healthcheck: json("HEALTHCHECK"),
    copies: lines.filter((l) => l.startsWith("COPY ") && !l.includes("--from")).flatMap((l) => l.slice(5).split(/\s+/).slice(0, -1)),
    stopSignal: lines.find((l) => l.startsWith("STOPSIGNAL "))?.slice(11).trim() ?? null,
  };
}

export const docker = readDockerfile();

export interface Served {
  child: ChildProcess;
  port: number;
  log: () => string;
  exited: Promise<number | null>;
}

/**
 * The image's command, with the image's environment plus what a deployment
 * sets. `paced` (the default) adds the test pace, which needs NODE_ENV=test
 * in place of the image's production: pass false to run the image's
 * environment exactly (GitHub's real pacing: slow, but nothing of the test's).
 */
export async function startServe(github: string, extra: Record<string, string> = {}, paced = true): Promise<Served> {
  const port = await freePort();
  const [command, ...args] = docker.cmd;
  const child = spawn(command === "node" ? process.execPath : command!, args, {
    env: {
      PATH: process.env.PATH ?? "",
      ...docker.env,
      ...(paced ? TEST_PACE : {}),
      PORT: String(port),
      APP_ID: String(APP_ID),
      PRIVATE_KEY: testPrivateKey(),
      WEBHOOK_SECRET: SECRET,
      GHE_HOST: new URL(github).host,
      GHE_PROTOCOL: "http",
      LOG_FORMAT: "json",
      // Only what a test does reaches GitHub: no weekly slot, and no site refresh on the clock (every six hours,
      // which a run at 06:00 UTC would meet in the middle of a "page views never read" check).
      SEP_BOT_SCHEDULE: "off",
      SEP_BOT_SITE_REFRESH: "off",
      ...extra,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let log = "";
  child.stdout!.on("data", (d: Buffer) => (log += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (log += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${log}`)), 60_000);
    const poll = setInterval(() => {
      if (/Listening on http/.test(log)) {
        clearInterval(poll);
        clearTimeout(timer);
        resolve();
      }
    }, 20);
    void exited.then((code) => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${log}`));
    });
  });
  return { child, port, log: () => log, exited };
}

/** A delivery as GitHub sends it: signed with the webhook secret. Resolves with the HTTP status. */
export async function post(port: number, delivery: Delivery): Promise<number> {
  const body = JSON.stringify(delivery.payload);
  const response = await fetch(`http://127.0.0.1:${port}/api/github/webhooks`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-github-event": delivery.name, "x-github-delivery": delivery.id, "x-hub-signature-256": await sign(SECRET, body) },
    body,
  });
  return response.status;
}

/** The Dockerfile's HEALTHCHECK command, run as Docker runs it (inside the container: the container's environment). */
export function healthcheck(port: number): Promise<number> {
  const [command, ...args] = docker.healthcheck;
  return new Promise((resolve) => {
    execFile(command === "node" ? process.execPath : command!, args, { env: { PATH: process.env.PATH ?? "", ...docker.env, PORT: String(port) }, timeout: 30_000 }, (error) =>
      resolve(error ? ((error as { code?: number }).code ?? 1) : 0),
    );
  });
}
