import { execFile } from "node:child_process";
import { afterEach } from "vitest";

/** `sep-bot <args>` as its own process, with only the environment given (and PATH). */
export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The environment of a test process: GitHub's pacing shape at a test pace
 * (writes 20 ms apart instead of 1 s; see `testPace` in src/github/client.ts),
 * since pacing is not what these tests are about.
 */
export const TEST_PACE = { NODE_ENV: "test", SEP_BOT_TEST_PACE_MS: "20" } as const;

export function runCli(args: string[], env: Record<string, string>, timeout = 60_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, ["bin/sep-bot.js", ...args], { cwd: process.cwd(), env: { PATH: process.env.PATH ?? "", ...TEST_PACE, ...env }, timeout }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** Servers a test starts (the fake over HTTP, a chat webhook): closed after each test. */
export function useClosers(): (close: () => Promise<void>) => void {
  let closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    await Promise.all(closers.map((close) => close()));
    closers = [];
  });
  return (close) => void closers.push(close);
}
