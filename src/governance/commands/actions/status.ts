import type { Rules } from "../../../rules/schema.js";
import { resolveStatus } from "../../../sep/values.js";
import { describeRoles, holds, maySetStatus, maySponsor } from "../../people/roles.js";
import { overrideReason } from "../../final/gate.js";
import { awaitingState, statusRule } from "../../status/states.js";
import { guardRefusal, transitionRefusal } from "../../status/transitions.js";
import { tallyText } from "../votes.js";
import { usage } from "../help.js";
import { assign, display, refuse, unassign, type CommandHandler, type CommandUse, type LineOutcome } from "../action.js";

/**
 * `/status <status>`, and every command the rules give a `to:` (`/review`,
 * `/accept`, `/dormant`...): a status change the lifecycle, the target's
 * setters and its guards allow. Moving past the wait for a sponsor makes the
 * mover the sponsor; a status with a stamp field (Accepted) records the date
 * and the vote tally; a dormant status closes the pull request, any other
 * reopens it.
 */
export const status: CommandHandler = {
  help: { args: "<status>", summary: "move the SEP to another status the lifecycle allows" },
  changesState: true,
  // Out of dormancy to any status that does not close the pull request again.
  reopens({ line, command, ctx }) {
    const target = command.to ?? targetOf(line.rest, ctx.rules);
    return !!target && !statusRule(ctx.rules, target)?.closesPullRequest;
  },
  run: (use) => moveTo(use),
};

/** The status change itself, shared with `/supersede` (which moves to Superseded). */
export function moveTo(use: CommandUse): LineOutcome {
  const { line, comment, working: w, ctx, command } = use;
  const { rules, people } = ctx;
  const actor = comment.author;
  const target = command.to ?? targetOf(line.rest, rules);
  const allowedTargets = (w.state ? (rules.transitions[w.state] ?? []) : []).map((id) => `\`${display(rules, id)}\``);
  if (!target) {
    const asked = line.rest.trim().split(/\s+/)[0];
    return refuse(use, `${asked ? `\`${asked}\` is not a status` : "say which status"}${allowedTargets.length ? `; from ${display(rules, w.state)} this SEP can move to ${allowedTargets.join(", ")}` : ""}: \`/status <status>\`.`);
  }
  // Already so (a retry after the commit landed but a later write failed): done, and the labels follow.
  if (target === w.state) return { status: "done", line, what: `status ${display(rules, target)}`, sets: target };
  if (!w.state || !(rules.transitions[w.state] ?? []).includes(target)) return refuse(use, transitionRefusal(rules, w.state ?? "", target, ctx.sep) ?? "that move is not allowed.");
  if (!maySetStatus(actor, target, people, rules)) {
    const status = statusRule(rules, target)!;
    const who = describeRoles(status.setBy ?? rules.statusChange.by, rules);
    const not = status.notBy.length ? ` (never ${describeRoles(status.notBy, rules)} of this SEP)` : "";
    return refuse(use, `only ${who}${not} can move a SEP to ${status.display}.`);
  }
  // A maintainer may decide Final with items still open: `/final override <why>`, the reason and the open items recorded.
  // (`/status final override <why>`: the words after the status.)
  const reason = target === rules.final.status && ctx.gate?.missing.length ? overrideReason(command.to ? line.rest : line.rest.trim().replace(/^\S+/, "")) : null;
  if (reason !== null) {
    if (!rules.final.overrideBy.some((role) => holds(actor, role, people))) return refuse(use, `only ${describeRoles(rules.final.overrideBy, rules)} can move a SEP to Final with items still open.`);
    if (!reason) return refuse(use, `say why, for the record: \`/${line.name} override <reason>\`.`);
  }
  // Guards: a command's requirements also hold for /status to the same status (and for labels and pushes).
  const guard = guardRefusal(rules, target, ctx.sep, command.requires, reason ? null : ctx.gate);
  if (guard) return refuse(use, guard.includes("/final override") ? guard : `${guard.replace(/\.$/, "")}; then run \`${command.to ? `/${line.name}` : usage(line.name, command)}\` again.`);
  const status = statusRule(rules, target)!;
  const awaiting = awaitingState(rules)?.id;
  if (target === awaiting) {
    if (w.sponsor) unassign(w, w.sponsor.login);
    w.sponsor = null;
  } else if ((status.sponsored || status.awaitsSponsor) && !w.sponsor) {
    // Moving a SEP that awaits a sponsor past that stage: whoever may sponsor it does so now.
    if (!maySponsor(actor, people, rules)) return refuse(use, `${status.display} needs a sponsor first: a maintainer runs \`/sponsor\`.`);
    w.sponsor = { login: actor, name: comment.authorName };
    assign(w, actor);
  }
  w.state = target;
  if (status.stampField) w.stamp = ctx.tally.votes.length ? `${ctx.now.toISOString().slice(0, 10)}, ${tallyText(ctx.tally)}` : ctx.now.toISOString().slice(0, 10);
  if (status.closesPullRequest) w.open = false;
  else if (!w.open) w.open = true;
  const decided = reason ? `, decided by @${actor} with ${ctx.gate!.missing.length} item${ctx.gate!.missing.length === 1 ? "" : "s"} of the road open (${ctx.gate!.missing.map((m) => m.split(":")[0]).join(", ")}): "${reason}"` : "";
  return { status: "done", line, what: `status ${status.display}${status.closesPullRequest ? ", pull request closed" : ""}${decided}` };
}

/** The status named at the start of the arguments ("in-review", "In Review because..."): the longest match of up to three words. */
function targetOf(rest: string, rules: Rules): string | null {
  const words = rest.trim().split(/\s+/).filter(Boolean);
  for (let n = Math.min(3, words.length); n >= 1; n--) {
    const resolved = resolveStatus(words.slice(0, n).join(" "), rules);
    if (resolved && "id" in resolved) return resolved.id;
  }
  return null;
}
