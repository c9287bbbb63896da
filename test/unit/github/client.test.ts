import { describe, expect, it } from "vitest";
import { SetupError, testPace } from "../../../src/github/client.js";

/**
 * The test pace (`SEP_BOT_TEST_PACE_MS`, writes that many ms apart instead of
 * GitHub's second) is honoured only with NODE_ENV=test: a production process
 * that inherits the variable by accident keeps GitHub's pacing.
 */

describe("testPace", () => {
  it("NODE_ENV=test with SEP_BOT_TEST_PACE_MS: that pace", () => {
    expect(testPace({ NODE_ENV: "test", SEP_BOT_TEST_PACE_MS: "20" })).toBe(20);
    expect(testPace({ NODE_ENV: "test", SEP_BOT_TEST_PACE_MS: "0" })).toBe(0);
  });

  it.each<[string, NodeJS.ProcessEnv]>([
    ["NODE_ENV=production", { NODE_ENV: "production", SEP_BOT_TEST_PACE_MS: "20" }],
    ["NODE_ENV unset", { SEP_BOT_TEST_PACE_MS: "20" }],
    ["NODE_ENV=development", { NODE_ENV: "development", SEP_BOT_TEST_PACE_MS: "20" }],
    ["NODE_ENV=Test (not exactly test)", { NODE_ENV: "Test", SEP_BOT_TEST_PACE_MS: "20" }],
  ])("%s: ignored (GitHub's pacing)", (_name, env) => {
    expect(testPace(env)).toBeNull();
  });

  it("outside tests a malformed value is ignored too (never even read); in tests it is a setup error", () => {
    expect(testPace({ NODE_ENV: "production", SEP_BOT_TEST_PACE_MS: "fast" })).toBeNull();
    expect(() => testPace({ NODE_ENV: "test", SEP_BOT_TEST_PACE_MS: "fast" })).toThrow(SetupError);
    expect(() => testPace({ NODE_ENV: "test", SEP_BOT_TEST_PACE_MS: "5000" })).toThrow(/up to 1000/);
  });

  it("NODE_ENV=test without SEP_BOT_TEST_PACE_MS: GitHub's pacing", () => {
    expect(testPace({ NODE_ENV: "test" })).toBeNull();
    expect(testPace({ NODE_ENV: "test", SEP_BOT_TEST_PACE_MS: "" })).toBeNull();
  });
});
