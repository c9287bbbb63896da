import { describe, expect, it } from "vitest";
import type { Tracking } from "../../../../src/governance/model/record.js";
import { dueReconciles, trackingReasons, type SweepRead } from "../../../../src/reports/sweep/due.js";
import { NOW, rules } from "../../../helpers/sep.js";

/** What the sweep re-plans for SDK tracking (reports/sweep/due.ts), from what it read: no GitHub. */

const GO = "o/go-sdk";
const DAY = 86_400_000;

describe("the sweep's SDK tracking reasons", () => {
  it("an umbrella of a SEP merged long ago whose SDK issue moved: its pull request is reconciled (which may not be the SEP's number)", () => {
    const read: SweepRead = {
      repo: { owner: "o", name: "r", defaultBranch: "main" },
      botLogin: "sep-bot[bot]",
      roles: {},
      pulls: [],
      tracked: {
        states: { [`${GO}#3`]: "done", [`${GO}#4`]: "open" },
        umbrellas: [
          { number: 2001, sep: 1500, pr: 1933, sdks: [{ repo: GO, number: 3, tier: 1, state: "open" }] },
          { number: 2002, sep: 1600, pr: 1600, sdks: [{ repo: GO, number: 4, tier: 1, state: "open" }] },
        ],
      },
    };
    expect(dueReconciles(read, rules, NOW).map((d) => [d.number, d.reasons])).toEqual([[1933, ["an SDK issue in umbrella #2001's list moved"]]]);
  });

  it("an umbrella sep-bot may not open here waits its days before the sweep tries again", () => {
    const tracking = (at: string | null): Tracking => ({
      requested: { by: null, at: NOW.toISOString(), via: "accepted" },
      none: null,
      skip: [],
      umbrella: null,
      sdks: [{ repo: GO, number: 3, adopted: false, state: "open", at: null }],
      release: null,
      done: null,
      umbrellaBlock: null,
      umbrellaNoAccess: at,
    });
    const days = rules.sdks!.retryNoAccessDays;
    expect(trackingReasons(tracking(null), null, rules, NOW)).toEqual(["its SDK issues are not all filed"]);
    expect(trackingReasons(tracking(new Date(NOW.getTime() - DAY).toISOString()), null, rules, NOW)).toEqual([]);
    expect(trackingReasons(tracking(new Date(NOW.getTime() - (days + 1) * DAY).toISOString()), null, rules, NOW)).toEqual(["its SDK issues are not all filed"]);
  });
});
