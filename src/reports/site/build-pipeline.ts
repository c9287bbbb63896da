import type { Rules } from "../../rules/schema.js";
import { sameLogin } from "../../shared/logins.js";
import { median } from "../digest/render.js";
import { isStateLabel, statusForLabel } from "../../governance/status/states.js";
import { isSepPull, type SweepRead } from "../sweep/due.js";
import { byText } from "./build-rows.js";
import { CHANGES_WINDOW_DAYS, MAX_CHANGES, type SiteChange, type SiteData, type SiteSep } from "./model.js";

/**
 * The data side, for build.ts: how the SEPs move, seps.json's `pipeline`
 * (how many SEPs in each status, how long the open ones have been there) and
 * `changes` (what changed lately). pipeline.ts draws both on the page, and
 * feed.ts makes the changes the Atom feed.
 */

const DAY = 86_400_000;

/** Each status with how many SEPs are in it and how long the open ones have been: the rules' states always, in order, then any other status and no status when some SEP is there. */
export function pipelineOf(seps: readonly SiteSep[], known: readonly string[]): SiteData["pipeline"] {
  const others = [...new Set(seps.map((s) => s.status).filter((id): id is string => id !== null && !known.includes(id)))].sort(byText);
  return [...known, ...others, null]
    .map((status) => {
      const here = seps.filter((s) => s.status === status);
      const live = here.filter((s) => s.pullRequest?.open);
      const days = live.map((s) => s.daysInStatus).filter((d): d is number => d !== null).sort((a, b) => a - b);
      return { status, count: here.length, open: live.length, merged: here.length - live.length, days, median: median(days) };
    })
    // The rules' states always (the pipeline's shape), others only when some SEP is in them.
    .filter((row) => (row.status !== null && known.includes(row.status)) || row.count > 0);
}

/**
 * The feed's entries: each SEP pull request the read has (open, and those
 * closed in the last days) opened lately, and each time a state label
 * replaced another on it (the label is the approved status: a move to
 * accepted, final or dormant is there too), newest first.
 */
export function changesOf(read: SweepRead, rules: Rules, now: Date, ownNumber: ReadonlyMap<number, number>, shown: (login: string) => string): SiteChange[] {
  const from = now.getTime() - CHANGES_WINDOW_DAYS * DAY;
  const within = (at: string) => {
    const t = Date.parse(at);
    return !Number.isNaN(t) && t >= from && t <= now.getTime();
  };
  const actor = (login: string | null) => (!login || sameLogin(login, read.botLogin) || /\[bot\]$/i.test(login) ? null : shown(login));
  const out: SiteChange[] = [];
  for (const pull of read.pulls.filter((p) => isSepPull(p, rules))) {
    const sep = ownNumber.get(pull.number) ?? pull.number;
    let current: string | null = null;
    let first: string | null = null;
    for (const event of pull.labelEvents) {
      if (!event.added || !isStateLabel(rules, event.label)) continue;
      const to = statusForLabel(rules, event.label)?.id ?? null;
      if (to === null || to === current) continue;
      if (current !== null && within(event.at)) out.push({ at: new Date(Date.parse(event.at)).toISOString(), sep, kind: "status", from: current, to, by: actor(event.actor), pullRequest: pull.number });
      first ??= to;
      current = to;
    }
    // A pull request that moves a merged SEP on (to Final) proposes nothing new.
    if (within(pull.createdAt) && !ownNumber.has(pull.number)) out.push({ at: new Date(Date.parse(pull.createdAt)).toISOString(), sep, kind: "proposed", from: null, to: first ?? pull.file?.state ?? pull.memory?.sep?.state ?? null, by: shown(pull.author), pullRequest: pull.number });
  }
  return out
    .sort((a, b) => byText(b.at, a.at) || b.sep - a.sep || byText(a.kind, b.kind) || byText(a.to ?? "", b.to ?? ""))
    .slice(0, MAX_CHANGES);
}
