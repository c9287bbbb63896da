import type { Rules } from "../../rules/schema.js";
import { sameLogin } from "../../shared/logins.js";
import { enteredState } from "../../governance/clocks/deadlines.js";
import { hasLabel, isStateLabel, statusForLabel } from "../../governance/status/states.js";
import { sweepClocks, isSepPull, type SweepPull, type SweepRead } from "../sweep/due.js";
import { implementationsOf, releasesOf } from "../sweep/releases.js";
import type { DigestInput, DigestRelease, DigestSep } from "./model.js";

/**
 * The digest's input from the sweep's read: what the labels say (the status
 * the sponsor approved), what the file says (the bot's memory of it), and the
 * clocks. Pure; the renderer turns it into the same bytes for the same state.
 */

export function digestInput(read: SweepRead, rules: Rules, now: Date): DigestInput {
  const dormantClock = rules.clocks.list.find((c) => c.steps.some((s) => s.action === "dormant"));
  const reviewClock = rules.clocks.list.find((c) => c.states.includes("in-review"));
  return {
    repo: { owner: read.repo.owner, name: read.repo.name },
    now: now.toISOString(),
    seps: read.pulls.filter((p) => isSepPull(p, rules)).map((p) => digestSep(p, read, rules, now)),
    states: rules.statuses.map((s) => ({ id: s.id, display: s.display })),
    dormantAfterDays: dormantClock?.steps.find((s) => s.action === "dormant")?.day ?? 180,
    reviewDays: reviewClock?.steps[0]?.day ?? 28,
    siteUrl: rules.links.site,
    releases: rules.sdks && read.sdks ? digestReleases(read, rules) : null,
  };
}

/** Each release of the tracked SEPs, in short: its dates, and per SDK how many SEPs it still owes. */
function digestReleases(read: SweepRead, rules: Rules): DigestRelease[] {
  return releasesOf(implementationsOf(read, rules), read, rules).map((r) => ({
    version: r.version,
    candidate: r.candidate,
    release: r.release,
    deadlines: r.deadlines,
    seps: r.seps.length,
    owed: r.sdks.filter((s) => s.owes.length).map((s) => ({ name: s.name, tier: s.tier, seps: s.owes.length })),
  }));
}

function digestSep(pull: SweepPull, read: SweepRead, rules: Rules, now: Date): DigestSep {
  const memory = pull.memory?.sep ?? null;
  // What the file at the head says, for what sep-bot has not recorded yet (install day, deferred by the write budget).
  const file = pull.file ?? null;
  const stateLabels = pull.labels.filter((l) => isStateLabel(rules, l));
  const stateLabel = stateLabels.length === 1 ? stateLabels[0]! : null;
  const state = (stateLabel ? statusForLabel(rules, stateLabel)?.id : null) ?? memory?.state ?? file?.state ?? null;
  const since = enteredState({ state, labelEvents: pull.labelEvents }, rules);
  const report = pull.open ? sweepClocks(pull, read, rules, now) : null;
  const dormantOn = report?.deadlines.find((d) => rules.clocks.list.find((c) => c.id === d.clock)?.steps[d.step]?.action === "dormant")?.date ?? null;
  return {
    number: pull.number,
    title: memory?.title ?? file?.title ?? pull.title,
    url: pull.url,
    state,
    stateLabel,
    fileState: memory?.state ?? file?.state ?? null,
    type: memory?.type ?? file?.type ?? null,
    sponsor: memory ? memory.sponsor : (file?.sponsors.find((s) => s.handle)?.handle ?? null),
    author: pull.author,
    createdAt: pull.createdAt,
    stateSince: since === null ? pull.createdAt : new Date(since).toISOString(),
    open: pull.open,
    merged: pull.merged,
    closedAt: pull.closedAt,
    checks: pull.checks === "success" || pull.checks === "failure" ? pull.checks : null,
    votes: memory?.votes ?? null,
    referenceImplementation: memory?.referenceImplementation ?? null,
    conformance: memory?.conformance ?? null,
    final: memory?.final ? { summary: memory.final.summary, ready: memory.final.ready } : null,
    transitions: transitions(pull, rules, read.botLogin),
    dormantOn: report?.paused ? null : dormantOn,
    paused: hasLabel(pull.labels, rules.clocks.pauseLabel),
  };
}

/**
 * Each time a state label replaced another (re-adding the same one is no
 * change), oldest first. A label the bot applied for someone (a command, their
 * push) is theirs: the bot's audit log says who, within minutes of it.
 */
function transitions(pull: SweepPull, rules: Rules, bot: string): DigestSep["transitions"] {
  const log = pull.memory?.log ?? [];
  const behalf = (at: string): string | null => {
    const t = Date.parse(at);
    return log.find((e) => e.by && Math.abs(Date.parse(e.at) - t) <= 10 * 60_000)?.by ?? null;
  };
  const out: DigestSep["transitions"] = [];
  let current: string | null = null;
  for (const event of pull.labelEvents) {
    if (!event.added || !isStateLabel(rules, event.label)) continue;
    const to = statusForLabel(rules, event.label)?.id;
    if (!to || to === current) continue;
    current = to;
    const byBot = !!event.actor && sameLogin(event.actor, bot);
    out.push({ to, at: event.at, by: byBot ? (behalf(event.at) ?? event.actor) : event.actor });
  }
  return out;
}
