import nock from "nock";
import { describe, expect, it } from "vitest";
import { MemoryCoordinator } from "../../../../src/delivery/coordinator.js";
import { memoryRetries } from "../../../../src/delivery/retries.js";
import { octokitClass } from "../../../../src/github/client.js";
import { gitHubHealth } from "../../../../src/github/health.js";
import { healthReport, type HealthState } from "../../../../src/run/server/health.js";
import { trigger } from "../../../../src/governance/model/trigger.js";
import { API, useNock } from "../../../helpers/octokit.js";

/**
 * What `/healthz` says, from what the instance knows: Redis answering or
 * not (503: no delivery can be handled), GitHub failing or rate-limiting
 * (degraded, 200: a restart would not mend it), retries waiting.
 */

useNock();

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
/** The server's client class (octokitClass), with a token, without retries or pacing. */
function client() {
  const Octokit = octokitClass(null, {});
  return new Octokit({ auth: { token: "t" }, retry: { enabled: false }, throttle: { enabled: false }, log: quiet } as never);
}

function state(partial: Partial<HealthState> = {}): HealthState {
  return { stopping: false, started: Date.now() - 5000, coordinator: new MemoryCoordinator(), redis: null, retries: null, site: null, ...partial };
}

/** A Redis client as the health check sees it: its status, and how it answers PING. */
const redisThat = (status: string, ping: () => Promise<string>) => ({ status, ping }) as never;

describe("/healthz", () => {
  it("ok with nothing wrong: 200, no problems", async () => {
    nock(API).get("/rate_limit").reply(200, {});
    await client().request("GET /rate_limit");
    const { code, report } = await healthReport(state({ redis: redisThat("ready", async () => "PONG") }));
    expect(code).toBe(200);
    expect(report).toMatchObject({ status: "ok", problems: [], reconciling: 0, redis: { ok: true } });
    expect(report.github.failingInARow).toBe(0);
  });

  it("Redis not connected, or not answering a PING within a second: 503, and says why", async () => {
    const reconnecting = await healthReport(state({ redis: redisThat("reconnecting", async () => "PONG") }));
    expect(reconnecting.code).toBe(503);
    expect(reconnecting.report.redis).toEqual({ ok: false, error: "connection reconnecting" });
    expect(reconnecting.report.problems.join("\n")).toMatch(/Redis does not answer \(connection reconnecting\): deliveries fail/);
    const silent = await healthReport(state({ redis: redisThat("ready", () => new Promise<string>(() => {})) }));
    expect(silent.code).toBe(503);
    expect(silent.report.redis).toEqual({ ok: false, error: "no answer to PING within 1000 ms" });
  });

  it("stopping: 503, whatever else", async () => {
    const { code, report } = await healthReport(state({ stopping: true }));
    expect(code).toBe(503);
    expect(report.status).toBe("stopping");
  });

  it("GitHub failing three times in a row, then rate-limiting: degraded with 200; a success clears the failures", async () => {
    const octokit = client();
    nock(API).get("/rate_limit").times(3).reply(502, { message: "Bad Gateway" });
    for (let i = 0; i < 3; i++) await octokit.request("GET /rate_limit").catch(() => undefined);
    let { code, report } = await healthReport(state());
    expect(code).toBe(200);
    expect(report.status).toBe("degraded");
    expect(report.github).toMatchObject({ failingInARow: 3, lastFailure: { status: 502, message: "Bad Gateway" } });
    expect(report.problems.join("\n")).toMatch(/GitHub failed the last 3 requests \(502: Bad Gateway\)/);

    nock(API).post("/repos/o/r/issues/1/labels").reply(403, { message: "You have exceeded a secondary rate limit." }, { "retry-after": "120" });
    await octokit.request("POST /repos/o/r/issues/1/labels", { labels: ["SEP"] }).catch(() => undefined);
    ({ report } = await healthReport(state()));
    expect(Date.parse(report.github.rateLimitedUntil!)).toBeGreaterThan(Date.now() + 100_000);
    expect(report.problems.join("\n")).toMatch(/rate-limits this installation until/);

    // A refusal that is GitHub saying no (404) is the work's business, not the client's health.
    nock(API).get("/repos/o/r").reply(404, { message: "Not Found" });
    await octokit.request("GET /repos/o/r").catch(() => undefined);
    expect(gitHubHealth().failingInARow).toBe(4);
    nock(API).get("/rate_limit").reply(200, {});
    await octokit.request("GET /rate_limit");
    expect(gitHubHealth().failingInARow).toBe(0);
  });

  it("failed reconciles waiting for a retry: degraded with 200, how many and when the next one runs", async () => {
    nock(API).get("/rate_limit").reply(200, {});
    await client().request("GET /rate_limit");
    const retries = memoryRetries({ delaysMs: [30_000] });
    await retries.failed("o/r#1", { installation: 1, owner: "o", repo: "r", number: 1, defaultBranch: "main" }, trigger({ events: ["pull_request.opened"] }), new Error("502"));
    const { code, report } = await healthReport(state({ retries }));
    expect(code).toBe(200);
    expect(report.status).toBe("degraded");
    expect(report.retries).toMatchObject({ pending: 1, gaveUp: 0 });
    expect(report.problems.join("\n")).toMatch(/1 failed reconcile waits to be retried \(next at /);
  });
});
