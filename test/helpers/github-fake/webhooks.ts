import { readFileSync } from "node:fs";
import { API } from "../octokit.js";
import { BOT_USER_ID, lower, OWNER, REPO, type FakeEvent, type HeadRepo } from "./model.js";
import { labelObject } from "./rest.js";
import type { GitHubState } from "./state.js";

/**
 * Webhooks as GitHub sends them: `webhook()` builds the delivery for a
 * queued `FakeEvent` (pull_request, check_run, issue_comment) from the
 * payload fixtures in test/fixtures/payloads, filled with the fake's state
 * as it is now, and `deliveryId()` gives each delivery its id. Handing
 * deliveries to the app is harness.ts's.
 */

const PAYLOADS = new URL("../../fixtures/payloads/", import.meta.url);
type Json = Record<string, any>; // webhook JSON, as loose as GitHub's

function fixture(name: string): Json {
  return JSON.parse(readFileSync(new URL(`${name}.json`, PAYLOADS), "utf8")) as Json;
}

/** A user (or bot) object like the fixtures', for any login. */
function userObject(template: Json, login: string): Json {
  const bot = login.endsWith("[bot]");
  const user = JSON.parse(JSON.stringify(template).replaceAll("/pieter", `/${encodeURIComponent(login)}`)) as Json;
  return { ...user, login, type: bot ? "Bot" : "User", id: bot ? BOT_USER_ID : user.id };
}

/** The head repository as a webhook shows it: the base repository, a fork, or null. */
function headRepository(repository: Json, head: HeadRepo | null): Json | null {
  if (!head) return null;
  if (lower(head.owner) === OWNER && lower(head.name) === REPO) return repository;
  const text = JSON.stringify(repository).replaceAll(`${OWNER}/${REPO}`, `${head.owner}/${head.name}`).replaceAll(`/users/${OWNER}`, `/users/${head.owner}`);
  const fork = JSON.parse(text) as Json;
  return {
    ...fork,
    id: repository.id + 1000,
    name: head.name,
    full_name: `${head.owner}/${head.name}`,
    fork: true,
    owner: { ...fork.owner, login: head.owner, type: head.ownerType, id: fork.owner.id + 7 },
  };
}

let deliveries = 0;
/** A fresh X-GitHub-Delivery id (GitHub's are GUIDs; the same delivery sent twice keeps its id). */
export function deliveryId(): string {
  deliveries++;
  return `d${String(deliveries).padStart(7, "0")}-0000-4000-8000-${Math.random().toString(16).slice(2, 14).padEnd(12, "0")}`;
}

/**
 * The webhook for `event`, built from the fixtures in test/fixtures/payloads
 * (@octokit/webhooks-examples payloads moved to this repository, with an
 * `installation`) and filled with the fake's current state: head sha, labels,
 * assignees, head repository (same repository, fork, or a deleted fork: null).
 */
export function webhook(fake: GitHubState, event: FakeEvent, id = deliveryId()) {
  const pr = fake.pull(event.number ?? fake.primary);
  if (event.name === "check_run") {
    const payload = fixture("check_run.rerequested");
    payload.check_run.name = event.checkName ?? "SEP checks";
    payload.check_run.head_sha = pr.headSha;
    payload.check_run.check_suite.head_sha = pr.headSha;
    payload.check_run.check_suite.after = pr.headSha;
    const sameRepo = pr.headRepo !== null && lower(pr.headRepo.owner) === OWNER && lower(pr.headRepo.name) === REPO;
    // GitHub lists only pull requests from the same repository here, never forks.
    const pulls = sameRepo
      ? payload.check_run.pull_requests.map((p: Json) => ({ ...p, number: pr.number, head: { ...p.head, ref: pr.headRef, sha: pr.headSha } }))
      : [];
    payload.check_run.pull_requests = pulls;
    payload.check_run.check_suite.pull_requests = pulls;
    payload.sender = userObject(payload.sender, event.sender);
    if (event.action === "requested_action") Object.assign(payload, { action: "requested_action", requested_action: { identifier: event.identifier } });
    return { id, name: "check_run" as const, payload };
  }

  const opened = fixture("pull_request.opened");
  if (event.name === "issue_comment") {
    const comment = fake.allComments.find((c) => c.id === event.commentId);
    const template = opened.pull_request.user as Json;
    const author = comment?.author ?? event.sender;
    const payload: Json = {
      action: event.action,
      issue: {
        url: `${API}/repos/${OWNER}/${REPO}/issues/${pr.number}`,
        html_url: `https://github.com/${OWNER}/${REPO}/pull/${pr.number}`,
        id: 1_000_000 + pr.number,
        node_id: `I_${pr.number}`,
        number: pr.number,
        title: pr.title,
        user: userObject(template, pr.author),
        labels: pr.labels.map(labelObject),
        state: pr.state,
        locked: false,
        assignee: pr.assignees[0] ? userObject(template, pr.assignees[0]) : null,
        assignees: pr.assignees.map((login) => userObject(template, login)),
        comments: fake.commentsOn(pr.number).length,
        created_at: pr.createdAt,
        updated_at: pr.createdAt,
        closed_at: pr.closedAt,
        author_association: "CONTRIBUTOR",
        body: "",
        pull_request: {
          url: `${API}/repos/${OWNER}/${REPO}/pulls/${pr.number}`,
          html_url: `https://github.com/${OWNER}/${REPO}/pull/${pr.number}`,
          diff_url: `https://github.com/${OWNER}/${REPO}/pull/${pr.number}.diff`,
          patch_url: `https://github.com/${OWNER}/${REPO}/pull/${pr.number}.patch`,
        },
      },
      comment: {
        url: `${API}/repos/${OWNER}/${REPO}/issues/comments/${event.commentId}`,
        html_url: `https://github.com/${OWNER}/${REPO}/pull/${pr.number}#issuecomment-${event.commentId}`,
        issue_url: `${API}/repos/${OWNER}/${REPO}/issues/${pr.number}`,
        id: event.commentId,
        node_id: `IC_${event.commentId}`,
        user: userObject(template, author),
        created_at: comment?.createdAt ?? new Date(fake.clock).toISOString(),
        updated_at: comment?.updatedAt ?? new Date(fake.clock).toISOString(),
        author_association: "CONTRIBUTOR",
        body: comment?.body ?? "",
      },
      repository: opened.repository,
      organization: opened.organization,
      installation: opened.installation,
      sender: userObject(template, event.sender),
    };
    if (event.action === "edited") payload.changes = { body: { from: event.previousBody ?? "" } };
    return { id, name: "issue_comment" as const, payload };
  }

  const source = ["synchronize", "labeled"].includes(event.action) ? event.action : event.action === "unlabeled" ? "labeled" : "opened";
  let text = JSON.stringify(source === "opened" ? opened : fixture(`pull_request.${source}`));
  text = text.replace(/\/(pulls|pull|issues)\/1933(?=["/#])/g, `/$1/${pr.number}`);
  const payload = JSON.parse(text) as Json;
  const p = payload.pull_request;
  const template = p.user;
  payload.action = event.action;
  payload.number = pr.number;
  p.number = pr.number;
  p.title = pr.title;
  p.state = pr.state;
  p.merged = pr.merged;
  p.user = userObject(template, pr.author);
  p.created_at = pr.createdAt;
  p.labels = pr.labels.map(labelObject);
  p.assignees = pr.assignees.map((login) => userObject(template, login));
  p.assignee = p.assignees[0] ?? null;
  p.maintainer_can_modify = pr.maintainerCanModify;
  p.head.sha = event.headSha ?? pr.headSha;
  p.head.ref = pr.headRef;
  p.head.repo = headRepository(payload.repository, pr.headRepo);
  p.head.label = `${pr.headRepo?.owner ?? pr.author}:${pr.headRef}`;
  p.head.user = p.head.repo ? p.head.repo.owner : userObject(template, pr.author);
  p.base.sha = fake.refs.get(`${OWNER}/${REPO}:main`)!;
  payload.sender = userObject(template, event.sender);
  if (event.action === "labeled" || event.action === "unlabeled") payload.label = labelObject(event.label ?? "");
  else delete payload.label;
  if (event.action === "assigned" || event.action === "unassigned") payload.assignee = userObject(template, event.assignee ?? event.sender);
  if (event.action === "synchronize") {
    payload.before = event.before ?? pr.headSha;
    payload.after = event.after ?? pr.headSha;
  } else {
    delete payload.before;
    delete payload.after;
  }
  return { id, name: "pull_request" as const, payload };
}

/** One webhook delivery: its id, event name and payload. */
export type Delivery = ReturnType<typeof webhook>;
