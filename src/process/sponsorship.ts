import type { Rules } from "../rules/schema.js";
import { sameLogin } from "./authority.js";
import type { AssignedSponsor } from "./commands/evaluate.js";
import { holds, maySponsor, type People } from "./roles.js";
import type { Snapshot } from "./snapshot.js";
import { awaitingState } from "./status.js";

/**
 * Sponsorship by assignment (`rules.sponsorship.byAssignment`): "once
 * proposals have a sponsor, they are assigned to the sponsor", and the
 * repository's previous automation took a maintainer assigned to a proposal as
 * its sponsor. So a maintainer who may sponsor and is assigned to a SEP that
 * awaits one, by themselves or by another maintainer, sponsors it.
 * Who assigned whom comes from the timeline; an assignment older than the
 * timeline's window counts only when it names one maintainer (no guess
 * between two).
 */
export function assignedSponsor(snapshot: Snapshot, people: People, rules: Rules, state: string | null): AssignedSponsor | null {
  const { pr } = snapshot;
  if (!rules.sponsorship.byAssignment || pr.state !== "open" || state !== awaitingState(rules)?.id || people.sponsors.size > 0) return null;
  const candidates = pr.assignees.filter((login) => maySponsor(login, people, rules));
  if (candidates.length === 0) return null;
  const maySponsorRole = (login: string) => Object.keys(people.roles).some((role) => holds(login, role, people));
  const assignments = candidates.map((login) => ({
    login,
    event: pr.activity.filter((a) => a.kind === "AssignedEvent" && a.subject && sameLogin(a.subject, login)).at(-1) ?? null,
  }));
  // Assigned by themselves or another maintainer: they sponsor it. Anyone else's assignment does not, nor
  // sep-bot's own (it assigns only a sponsorship it already made and recorded: `/sponsor`, a label).
  const valid = assignments.filter(({ login, event }) => !event || (!!event.actor && !sameLogin(event.actor, snapshot.botLogin) && (sameLogin(event.actor, login) || maySponsorRole(event.actor))));
  const seen = valid.filter((a) => a.event).sort((a, b) => (a.event!.at < b.event!.at ? -1 : 1));
  const chosen = seen.at(-1) ?? (valid.length === 1 && candidates.length === 1 ? valid[0]! : null);
  if (!chosen) return null;
  const listed = snapshot.directory?.find((p) => sameLogin(p.login, chosen.login));
  return {
    login: listed?.login ?? chosen.login,
    name: listed?.name ?? chosen.event?.subjectName ?? null,
    by: chosen.event?.actor ?? null,
  };
}
