import type { Rules } from "../../rules/schema.js";
import type { Sep } from "../../sep/model.js";
import { loginKey, sameLogin } from "../../shared/logins.js";
import { holds, maySponsor, peopleOf, type People } from "../people/roles.js";
import { sponsorFindings } from "../people/sponsor-field.js";
import type { Contribution } from "../model/contribution.js";
import type { BotState } from "../model/record.js";
import type { Snapshot } from "../model/snapshot.js";
import { awaitingState, isStateLabel, labelForSep, statusForLabel } from "./states.js";

/** A maintainer assigned to a SEP awaiting a sponsor (rules.sponsorship.byAssignment): they sponsor it, as `/sponsor` would. */
export interface AssignedSponsor {
  login: string;
  name: string | null;
  /** Who assigned them (themselves, another maintainer), when the timeline says. */
  by: string | null;
}

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

/** The events that woke us changed nothing a person decides: no state label by a person, no push by one. */
export function untouched(snapshot: Snapshot, rules: Rules): boolean {
  const person = (actor: string) => !sameLogin(actor, snapshot.botLogin);
  return !snapshot.trigger.labels.some((c) => person(c.actor) && isStateLabel(rules, c.label)) && !snapshot.trigger.pushes.some((p) => person(p.actor));
}

/**
 * First contact only: a sponsor taken as found. The Sponsor field names a
 * maintainer who may sponsor but is not assigned, and the pull request's one
 * state label, applied before sep-bot was there (by the previous automation,
 * or by that maintainer), is the label of the file's status: a sponsored
 * status (Draft, In-Review...), not awaiting one, not closed. The repository
 * has treated the SEP as theirs; sep-bot does too, rather than call a
 * sponsored SEP unsponsored (and let its clock make it dormant). Returns their
 * login as the maintainers file writes it. `sep`: as the file says it.
 */
export function sponsorAsFound(snapshot: Snapshot, sep: Sep, people: People, rules: Rules): string | null {
  if (people.sponsors.size > 0 || sep.awaitingSponsor) return null;
  const stateNow = snapshot.pr.labels.filter((l) => isStateLabel(rules, l));
  if (stateNow.length !== 1) return null;
  const status = statusForLabel(rules, stateNow[0]!);
  if (!status || status.closesPullRequest || status.id === awaitingState(rules)?.id) return null;
  if ((labelForSep(rules, sep) ?? "").toLowerCase() !== stateNow[0]!.toLowerCase()) return null;
  return people.named.find((n) => n.login && maySponsor(n.login, people, rules))?.login ?? null;
}

export interface PeopleInput {
  snapshot: Snapshot;
  rules: Rules;
  now: Date;
  sep: Sep;
  base: Sep | null;
  memory: BotState;
  /** sep-bot meets this pull request for the first time. */
  firstContact: boolean;
  /** People the plan before this reconcile's commit assigns. */
  pendingAssignees: readonly string[];
}

/**
 * Who holds which role on this pull request (people/roles.ts), with the
 * sponsor as the process sees them: at first contact, a sponsor named in the
 * file with a state label from before sep-bot is taken as found, and stays
 * while the file names them; a SEP nobody valid sponsors awaits a sponsor,
 * whatever its file says; what the Sponsor field gets wrong is a finding.
 */
export function recognisePeople(input: PeopleInput): { people: People; sep: Sep; part: Contribution } {
  const { snapshot, rules, now, base, memory } = input;
  let sep = input.sep;
  let people = peopleOf(snapshot, sep, base, rules, memory.foundSponsor?.login ?? null, input.pendingAssignees);
  const part: { memory?: Contribution["memory"]; entries?: Contribution["entries"] } = {};
  if (input.firstContact && untouched(snapshot, rules)) {
    const found = sponsorAsFound(snapshot, sep, people, rules);
    if (found) {
      people = peopleOf(snapshot, sep, base, rules, found, input.pendingAssignees);
      part.memory = (m) => ({ ...m, foundSponsor: { login: found, at: now.toISOString() } });
      const label = snapshot.pr.labels.find((l) => isStateLabel(rules, l));
      part.entries = [{ at: now.toISOString(), by: null, what: `first saw this pull request: took @${found} as its sponsor, as found: named in the file, with the \`${label}\` label from before sep-bot` }];
    }
  } else if (memory.foundSponsor && !people.sponsors.has(loginKey(memory.foundSponsor.login))) {
    part.memory = (m) => ({ ...m, foundSponsor: null }); // the file no longer names them: it lapses
  }
  if (people.sponsors.size === 0 && !sep.awaitingSponsor) sep = { ...sep, awaitingSponsor: true };
  const findings = sponsorFindings(sep, people.named, snapshot.directory ?? [], rules, Object.values(snapshot.roles).some((r) => r.length > 0));
  return { people, sep, part: { ...part, findings } };
}
