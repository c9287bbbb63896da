import { sameLogin } from "../../shared/logins.js";
import type { PullRequestCommit, Snapshot } from "../model/snapshot.js";
import type { LabelChange } from "../model/trigger.js";

/**
 * Has sep-bot met this pull request before? Its record is the status
 * comment, but a record can be missing: every write after its rename commit
 * refused for a while (a rate limit), or the comment deleted. Every other
 * trace it leaves says it was there too: its commits on the PR, its check run
 * on the head, its label events, its comments (replies, reminders). Only a
 * pull request with none of them is first contact, taken as it is found; on
 * one it has met, what people did is judged, so a missed record never turns
 * a person's unauthorised change into an adopted one.
 *
 * A trace can be forged: anyone can write the bot's e-mail into a commit and
 * sign it with their own key, another app can name a check run "SEP checks".
 * That only makes sep-bot take the pull request as one it has met: people's
 * changes are judged instead of adopted, and nobody gains authority. A trace
 * whose date its maker writes (a commit, a check run) never dates the
 * meeting, so a forged one cannot make older commands run either.
 */

export interface Contact {
  /** sep-bot has been here: its record, or any trace of it. */
  met: boolean;
  /**
   * When it first acted here, as GitHub dates it: its earliest label event or
   * reminder. null: not known (no such trace).
   */
  since: string | null;
}

export function contactOf(snapshot: Snapshot): Contact {
  const bot = snapshot.botLogin;
  const dated = [...snapshot.pr.labelEvents.filter((e) => e.actor !== null && sameLogin(e.actor, bot)).map((e) => e.at), ...snapshot.pings.map((p) => p.at)].filter((at) => !Number.isNaN(Date.parse(at)));
  const since = dated.length ? dated.reduce((a, b) => (Date.parse(b) < Date.parse(a) ? b : a)) : null;
  const met =
    since !== null ||
    snapshot.comments.length > 0 ||
    snapshot.replies.length > 0 ||
    (snapshot.pr.commits ?? []).some((c) => isBotCommit(c, bot)) ||
    (snapshot.checkRun !== null && snapshot.checkRun.digest !== null);
  return { met, since };
}

/**
 * sep-bot's own commit: what an app commits through the API (no custom
 * author) is authored by its bot, `<id>+<app>[bot]@users.noreply.github.com`,
 * which is no User, and signed by GitHub. The e-mail alone proves nothing
 * (anyone can write it), so the signature must be valid too.
 */
export function isBotCommit(commit: PullRequestCommit, botLogin: string): boolean {
  const noreply = /^\d+\+([^@]+\[bot\])@users\.noreply\.github\.com$/i.exec(commit.authorEmail ?? "");
  return commit.verified && commit.authorLogin === null && noreply !== null && sameLogin(noreply[1]!, botLogin);
}

/**
 * On a pull request sep-bot has met but whose record is missing, people's
 * label changes since it first acted here (all of them, when that is not
 * known) may never have been handled: they are judged as if their webhooks
 * had just arrived.
 */
export function missedLabelChanges(snapshot: Snapshot, contact: Contact): LabelChange[] {
  const from = contact.since === null ? -Infinity : Date.parse(contact.since);
  return snapshot.pr.labelEvents.flatMap((e) =>
    e.actor !== null && !sameLogin(e.actor, snapshot.botLogin) && Date.parse(e.at) >= from ? [{ actor: e.actor, label: e.label, added: e.added }] : [],
  );
}
