import { countBySeverity } from "../../lint/finding.js";
import type { Rules } from "../../rules/schema.js";
import type { Sep } from "../../sep/model.js";
import type { FileFindings } from "../check/check-run.js";
import type { Snapshot } from "../model/snapshot.js";
import { mention as mentionOf, type People } from "../people/roles.js";
import { FIRST_CONTACT, STATUS_MARKER, withEntries, writeState, type BotState, type SepSummary } from "../model/record.js";
import { clocks, type ClockInput, type ClockReport, type MovedBecause } from "../clocks/deadlines.js";
import type { Tally } from "../commands/votes.js";
import { awaitingState, isStateLabel, processState, statusRule } from "../status/states.js";
import { hasContent } from "../status/transitions.js";
import { mentionsIn } from "../people/mentions.js";
import type { BotComment, AuditEntry } from "../model/snapshot.js";
import { siteLink } from "../../shared/markdown.js";
import { loginKey } from "../../shared/logins.js";
import type { Contribution, NextStep } from "../model/contribution.js";
import { safe } from "./inline.js";
import { roadToFinal } from "./road-to-final.js";
import type { Readiness } from "../final/readiness.js";

/**
 * The one status comment per PR: what the SEP is, where it stands, what
 * sep-bot did and why, what is needed next and by whom, and the deadlines.
 * Rendered only from the snapshot and the bot's memory (never from the
 * clock), so the same state renders the same bytes and is not rewritten.
 */

export interface CommentInput {
  snapshot: Snapshot;
  rules: Rules;
  primary: { sep: Sep; path: string; pendingPath: string | null } | null;
  files: readonly FileFindings[];
  nextSteps: NextStep[];
  unauthorised: string | null;
  state: BotState;
  /** Core maintainers' votes (from `/vote` comments); null when the PR is about no single SEP. */
  votes?: Tally | null;
  /** The clocks: deadlines to come, or paused. */
  clocks?: ClockReport | null;
  /** Who takes part (only they are @mentioned) and who sponsors; null when the PR is about no single SEP. */
  people?: People | null;
  /** The road to Final, for an accepted SEP (final/readiness.ts). */
  final?: Readiness | null;
}


export function renderComment(input: CommentInput): string {
  const { snapshot, rules, primary, files, state } = input;
  const { pr } = snapshot;
  const lines: string[] = [STATUS_MARKER];
  // Only people seen taking part are @mentioned; a handle only written in a file is quoted.
  const known = input.people ?? { known: new Set([loginKey(pr.author)]) };
  const mention = (login: string | null) => (login ? mentionOf(login, known) : "Maintainers");
  const counts = countBySeverity(files.flatMap((f) => f.findings));
  const checks =
    counts.error > 0
      ? `❌ ${counts.error} error${counts.error === 1 ? "" : "s"}${counts.warning ? `, ${counts.warning} warning${counts.warning === 1 ? "" : "s"}` : ""}: see the **SEP checks** run`
      : counts.warning > 0
        ? `✅ passed, ${counts.warning} warning${counts.warning === 1 ? "" : "s"}`
        : "✅ passed";

  const steps = [...input.nextSteps];
  if (primary) {
    const { sep } = primary;
    const status = statusRule(rules, sep.status);
    const sponsors = sponsorCell(sep, input.people ?? null, known);
    lines.push(
      `### SEP-${pr.number}: ${safe(sep.title ?? "(no title)")}`,
      "",
      // A reminder sent with this comment, on first contact: one message, not two.
      ...(state.notice ? [`> ⏰ ${state.notice.text.split("\n").join("\n> ")}`, ""] : []),
      "| | |",
      "|---|---|",
      `| **Status** | ${status ? status.display : safe(sep.statusRaw ?? "unknown")}${processState(rules, sep) === awaitingState(rules)?.id && sep.status !== awaitingState(rules)?.id ? " (awaiting a sponsor)" : ""} |`,
      `| **Type** | ${rules.types.find((t) => t.id === sep.type)?.display ?? safe(sep.typeRaw ?? "unknown")} |`,
      `| **Sponsor** | ${sponsors} |`,
      `| **File** | \`${primary.pendingPath ?? primary.path}\` |`,
      `| **Checks** | ${checks} |`,
      "",
    );
    if (counts.error > 0) steps.push({ who: pr.author, what: "Fix the errors listed in the **SEP checks** run (each says how)." });
    if (input.unauthorised) {
      steps.push({ who: pr.author, what: `Put the Status back to what the \`${input.unauthorised}\` label says; your sponsor changes it when the SEP is ready.` });
    } else {
      steps.push(...lifecycleSteps(sep, rules, pr.author, input.people?.sponsor?.login ?? null, input.final ?? null));
    }
  } else {
    lines.push(`### SEP pull request`, "", `This pull request changes ${files.length} SEP files. Checks: ${checks}.`, "");
    if (counts.error > 0) steps.push({ who: pr.author, what: "Fix the errors listed in the **SEP checks** run." });
  }

  lines.push("**What happens next**", "");
  for (const step of steps) {
    if (step.code) lines.push(`- ${mention(step.who)}:`, "", "  ```sh", ...step.what.split("\n").map((l) => `  ${l}`), "  ```", "");
    else lines.push(`- ${mention(step.who)}: ${step.what}`);
  }
  if (steps.length === 0) lines.push("- Nothing: this SEP is complete.");
  lines.push("");
  const roadAt = lines.length;
  if (primary && input.final && rules.final.from.includes(processState(rules, primary.sep) ?? "")) lines.push(...roadToFinal(input.final, rules, snapshot, primary.pendingPath ?? primary.path));
  const roadEnd = lines.length;
  const tracking = state.tracking;
  if (primary && tracking?.none) lines.push(`**Implementation in the SDKs**: none needed (${safe(tracking.none.by, 40)}${tracking.none.reason ? `: ${safe(tracking.none.reason, 200)}` : ""}).`, "");
  else if (primary && tracking?.umbrella) {
    const count = (state: string) => tracking.sdks.filter((s) => s.state === state).length;
    const noAccess = tracking.sdks.filter((s) => s.state === "no-access").map((s) => `\`${s.repo}\``);
    lines.push(`**Implementation in the SDKs**: #${tracking.umbrella}: ${count("done") + count("not-needed")} of ${tracking.sdks.length} done${noAccess.length ? `; not filed, sep-bot has no access: ${noAccess.join(", ")}` : ""}.`, "");
  }

  const votes = input.votes;
  if (primary && votes && (votes.votes.length > 0 || processState(rules, primary.sep) === "in-review")) {
    const who = (list: string[]) => (list.length ? list.map((l) => `@\u200b${l}`).join(", ") : "—");
    const of = (choice: string) => votes.votes.filter((v) => v.choice === choice).map((v) => v.login);
    lines.push(
      `**Votes** (core maintainers, the latest \`/vote\` of each): ${votes.yes} yes, ${votes.no} no, ${votes.abstain} abstain`,
      "",
      `- Yes: ${who(of("yes"))}`,
      `- No: ${who(of("no"))}`,
      `- Abstain: ${who(of("abstain"))}`,
      `- Not voted yet: ${who(votes.missing)}`,
      "",
    );
  }

  const report = input.clocks;
  if (primary && report && pr.state === "open" && (report.paused || report.deadlines.length)) {
    lines.push("**Deadlines**", "");
    if (report.paused) {
      lines.push(`- Paused: the \`${rules.clocks.pauseLabel}\` label stops every clock; removing it resumes them where they were.`);
    } else {
      // Dates only: they change when something happens, not every day, so the comment is not rewritten daily.
      for (const d of report.deadlines) lines.push(`- ${d.date}: ${d.what}${d.moved ? ` (${movedWords(d.moved, rules)})` : ""}.`);
    }
    lines.push("");
  }

  const last = state.log.at(-1);
  if (last) {
    // The latest action in plain sight (a reverted label says why here); the rest folded away.
    lines.push(`**Last action** (${last.at.slice(0, 10)}): ${last.what.replace(/@(?=[A-Za-z0-9])/g, "@\u200b")}`, "");
    lines.push("<details><summary>What sep-bot did</summary>", "");
    for (const entry of state.log.slice(-10)) lines.push(`- ${entry.at.slice(0, 10)}: ${entry.what.replace(/@(?=[A-Za-z0-9])/g, "@\u200b")}`);
    lines.push("", "</details>", "");
  }
  const site = rules.links.site ? ` · [all SEPs](${siteLink(rules.links.site, `#sep-${pr.number}`)})` : "";
  lines.push(`<sub>sep-bot keeps this comment up to date. Comment \`/help\` for the commands you may use here. [SEP guidelines](${rules.links.guidelines}) · [commands](${rules.links.commands})${site}</sub>`);
  return withinLimit(lines, roadAt, roadEnd, writeState(state));
}

/** GitHub refuses a comment over 65,536 characters; the record (last) must always fit whole. */
const COMMENT_LIMIT = 65_536;

/**
 * The comment, kept under GitHub's limit whatever the files say: the Road to
 * Final (the part that grows with the conformance repository's files) gives
 * way to a pointer first, then the shown text is cut; the record is whole.
 */
export function withinLimit(lines: string[], roadAt: number, roadEnd: number, record: string): string {
  const fits = (text: string) => text.length + 1 + record.length <= COMMENT_LIMIT;
  let text = lines.join("\n");
  if (!fits(text) && roadEnd > roadAt) {
    const note = ["**Road to Final**: too long to show here; `sep-bot conformance <sep-file>` prints it whole.", ""];
    text = [...lines.slice(0, roadAt), ...note, ...lines.slice(roadEnd)].join("\n");
  }
  if (!fits(text)) text = `${text.slice(0, COMMENT_LIMIT - record.length - 200)}\n\n…(cut: too long for one comment)\n`;
  return `${text}\n${record}`;
}

/** Why an act is later than its day, in a few kind words. */
function movedWords(moved: MovedBecause, rules: Rules): string {
  const notice = `${rules.clocks.warnBeforeActDays} days' notice`;
  if (moved === "first-met") return `sep-bot first met this SEP past its deadline, so it gives ${notice}`;
  if (moved === "held") return `its warning waits for the ${rules.clocks.cooldownDays} days between reminders, then ${notice}`;
  return `${notice} after its warning`;
}

/**
 * The Sponsor row: the sponsor (a mention: they take part), else who the file
 * names and why they are not the sponsor yet, quoted, never mentioned.
 */
function sponsorCell(sep: Sep, people: People | null, known: Pick<People, "known">): string {
  if (people?.sponsor) return mentionOf(people.sponsor.login, known);
  const named = people?.named ?? sep.sponsors.map((person) => ({ person, login: null, via: null }));
  if (named.length === 0) return "none yet";
  const who = named.map((n) => (n.person.handle ? `\`${safe(n.person.handle, 40)}\`` : safe(n.person.name))).join(", ");
  const meant = named.find((n) => n.login)?.login;
  return `none yet (the file names ${who}${meant ? `; the maintainer \`${meant}\` sponsors it once assigned` : ""})`;
}

/** What the process expects next for a SEP in its current status. */
function lifecycleSteps(sep: Sep, rules: Rules, author: string, sponsor: string | null, final: Readiness | null): NextStep[] {
  if (final && rules.final.from.includes(processState(rules, sep) ?? "")) {
    const missing = final.items.filter((i) => i.blocking).map((i) => i.title.toLowerCase());
    return missing.length
      ? [
          { who: author, what: `Complete the road to Final below (${missing.join(", ")}). SDK implementations are not needed for Final.` },
          { who: sponsor, what: "Comment `/final` once the Road to Final below is complete." },
        ]
      : [{ who: sponsor, what: `The road to Final is complete${final.items.some((i) => i.state === "confirm") ? " (confirm what is marked ⚠️)" : ""}: comment \`/final\`; then this pull request can merge.` }];
  }
  switch (processState(rules, sep)) {
    case "proposal":
      return [
        { who: author, what: `Find a sponsor: a maintainer who comments \`/sponsor\`. If nobody answers within two weeks, ask in the community channel ([guidelines](${rules.links.guidelines})).` },
      ];
    case "draft":
      return [{ who: sponsor, what: "Review the draft with the author; comment `/review` when it is ready for the Core Maintainers." }];
    case "in-review":
      return [{ who: null, what: "Core Maintainers review in-review SEPs at their fortnightly meeting, vote with `/vote yes|no|abstain`, and decide: `/accept`, `/reject`, or `/status draft`." }];
    case "accepted":
      return [
        { who: author, what: "Complete the reference implementation (and, for Standards Track SEPs with observable protocol behaviour, merge a conformance scenario)." },
        { who: sponsor, what: "Comment `/final` when the implementation is complete; then this pull request can merge." },
      ];
    case "dormant":
      return [{ who: author, what: "Find a sponsor, then comment `/revive` (or a maintainer comments `/sponsor`): the pull request reopens." }];
    default:
      return [];
  }
}

export interface StatusCommentInput {
  snapshot: Snapshot;
  rules: Rules;
  now: Date;
  primary: { sep: Sep; path: string } | null;
  /** The SEP's path once this plan's commit lands, when it renames the file. */
  pendingPath: string | null;
  people: People | null;
  files: readonly FileFindings[];
  nextSteps: readonly NextStep[];
  unauthorised: string | null;
  /** What the bot remembers so far, and the audit lines to add. */
  memory: BotState;
  entries: readonly AuditEntry[];
  votes: Tally | null;
  /** The clocks as planned (null: none run), and their input, to date the deadlines again once the comment counts as a reminder. */
  report: ClockReport | null;
  clockInput: ClockInput | null;
  /** The state this plan leaves the SEP in, its state label, the check's conclusion and its sponsor: the summary the sweep and the digest read. */
  state: string | null;
  label: string | null;
  checks: "success" | "failure" | "neutral";
  sponsor: string | null;
  /** The road to Final, for an accepted SEP. */
  final?: Readiness | null;
  /** The bot's status comments: the oldest is kept, the others removed (every instance keeps the same). */
  existing: BotComment | undefined;
  duplicates: readonly BotComment[];
}

/**
 * The status comment's contribution: the comment (created, or edited in
 * place), with the record of what ran written last, and its duplicates
 * removed. The first status comment notifies everyone it @mentions: for the
 * cooldown it is a reminder to them, so a reminder that falls due soon after
 * waits (one comment that @mentions, not two); the deadlines shown are then
 * the ones the next run will see with it on the record.
 */
export function statusCommentOf(input: StatusCommentInput): Contribution {
  const { snapshot, rules, now, primary, existing } = input;
  const summarised = (state: BotState, report: ClockReport | null): BotState =>
    primary
      ? { ...state, sep: { ...summaryOf(primary.sep, rules, input.state, input.checks, input.votes, report, input.sponsor, input.final ?? null, snapshot.pr.number), label: input.label, clock: input.clockInput?.state ?? null } }
      : state;
  let report = input.report;
  const render = (state: BotState) =>
    renderComment({
      snapshot,
      rules,
      primary: primary ? { sep: primary.sep, path: primary.path, pendingPath: input.pendingPath } : null,
      people: input.people,
      files: input.files,
      nextSteps: [...input.nextSteps],
      unauthorised: input.unauthorised,
      state,
      votes: input.votes,
      clocks: report,
      final: input.final ?? null,
    });
  let state = withEntries(summarised(input.memory, report), [...input.entries]);
  let body = render(state);
  const told = !existing ? mentionsIn(body).slice(0, 20) : [];
  if (told.length) {
    state = { ...state, pings: [...state.pings, { clock: FIRST_CONTACT, step: 0, to: told, at: now.toISOString() }] };
    if (report && input.clockInput) {
      report = { ...report, deadlines: clocks({ ...input.clockInput, pings: [...snapshot.pings, ...state.pings] }, rules, now).deadlines };
      state = summarised(state, report);
    }
    body = render(state);
  }
  const comment = !existing ? [{ kind: "create-comment" as const, body }] : existing.body !== body ? [{ kind: "update-comment" as const, id: existing.id, body }] : [];
  const reasons = [...(!existing ? ["status comment: create"] : existing.body !== body ? ["status comment: update"] : []), ...input.duplicates.map((d) => `status comment: delete duplicate ${d.id}`)];
  return { effects: { comment: [...comment, ...input.duplicates.map((d) => ({ kind: "delete-comment" as const, id: d.id }))] }, reasons: { comment: reasons } };
}

/** The compact record of the SEP the sweep and the digest read (see model/record.ts). */
function summaryOf(sep: Sep, rules: Rules, state: string | null, checks: "success" | "failure" | "neutral", votes: Tally | null, report: ClockReport | null, sponsor: string | null, final: Readiness | null, pr: number): SepSummary {
  const onRoad = !!final && !!state && rules.final.from.includes(state);
  const item = (id: string) => final?.items.find((i) => i.id === id);
  return {
    state,
    status: sep.status,
    type: sep.type,
    title: sep.title?.slice(0, 200) ?? null,
    sponsor,
    referenceImplementation: onRoad ? item("reference-implementation")!.state !== "missing" : hasContent(sep, "reference-implementation", rules),
    // Conformance: done or not needed (true), missing (false), not known (null).
    conformance: onRoad ? ({ done: true, "not-needed": true, confirm: true, missing: false, unknown: null } as const)[item("conformance")!.state] : null,
    final: onRoad ? { summary: final.summary.slice(0, 300), ready: final.ready, key: final.conformance.key, ...(final.sep && final.sep !== pr ? { sep: final.sep } : {}) } : null,
    checks: checks === "neutral" ? null : checks,
    votes: votes && votes.votes.length ? { yes: votes.yes, no: votes.no, abstain: votes.abstain } : null,
    ...deadlineSummary(report),
    label: null,
    clock: null,
  };
}

/** The deadlines as the status comment shows them (none while paused), in the summary's compact form. */
export function deadlineSummary(report: ClockReport | null): Pick<SepSummary, "deadlines" | "paused"> {
  if (!report) return { deadlines: [], paused: false };
  return { deadlines: report.paused ? [] : report.deadlines.slice(0, 20).map((d) => `${d.date} ${d.clock}:${d.step}`), paused: report.paused };
}

/** The state label among the labels a plan wants. */
export function stateLabelOf(rules: Rules, wanted: Iterable<string>): string | null {
  return [...wanted].find((l) => isStateLabel(rules, l)) ?? null;
}
