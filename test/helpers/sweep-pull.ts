import type { SweepPull } from "../../src/reports/sweep/due.js";

/**
 * A pull request as the sweep reads it: an open SEP PR by pieter, labelled
 * `proposal`, with no activity, no bot memory and no check. Tests give what
 * their case is about (its number and URL, labels, memory...).
 */
export function sweepPull(o: Partial<SweepPull> & { number: number }): SweepPull {
  return {
    url: `https://github.com/o/r/pull/${o.number}`,
    title: `PR ${o.number}`,
    open: true,
    merged: false,
    author: "pieter",
    createdAt: "2026-11-01T10:00:00Z",
    closedAt: null,
    labels: ["SEP", "proposal"],
    assignees: [],
    labelEvents: [],
    activity: [],
    touchesSep: true,
    memory: null,
    pings: [],
    checks: null,
    board: null,
    ...o,
  };
}
