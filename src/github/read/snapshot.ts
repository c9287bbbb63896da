import type { Snapshot } from "../../governance/model/snapshot.js";
import { repositoryRules } from "../../rules/load.js";
import type { Rules } from "../../rules/schema.js";
import { nodesOf, type BlobNode, type GitHub } from "../graphql.js";
import { parseSep } from "../../sep/parse.js";
import { asksTracking, onRoadToFinal, readFinal } from "./final.js";
import { readTracking } from "./tracking.js";
import { readState } from "../../governance/model/record.js";
import { readContents } from "./contents.js";
import { fillPreviousPaths, isSepFile, toChangedFile } from "./files.js";
import { collect, commentsOf, commentsPage, connection, filesPage, pullRequestState, readPullRequest, treeFromCommits, type PullRequestNode, type ReadInput } from "./pull-request.js";

/**
 * Reads everything the planner needs about one pull request, in as few
 * requests as possible: one GraphQL query for the pull request and the rules,
 * a second for file contents, maintainers and our previous check run. Larger
 * pull requests page further, but a normal one costs exactly two requests.
 *
 * File paths come from whoever opened the pull request: they only ever travel
 * as GraphQL variables, never inside the query text.
 */

/** GitHub's REST API stops listing at 3000 files; we stop there too. */
const MAX_FILES = 3000;
/** Enough for any real discussion; bounds the work a spammed pull request can cause. */
const MAX_COMMENTS = 3000;

export async function readSnapshot(octokit: GitHub, input: ReadInput): Promise<{ snapshot: Snapshot; rules: Rules }> {
  const first = await readPullRequest(octokit, input);
  const { rules, configError } = overrideOf(first.config);
  const pr = first.pullRequest;
  input = { ...input, botLogin: first.viewer ?? input.botLogin ?? "sep-bot[bot]" };

  // Further pages of each (a large pull request's only), both at once.
  const [files, comments] = await Promise.all([
    collect(connection(pr.files), MAX_FILES, (after) => filesPage(octokit, input, after)),
    collect(connection(pr.comments), MAX_COMMENTS, (after) => commentsPage(octokit, input, after)),
  ]);

  const changed = files.nodes.filter((file) => isSepFile(file.path, rules)).map(toChangedFile);
  // Most pull requests on a specification repository touch no SEP: one read, then nothing to do.
  if (changed.length === 0) {
    const snapshot = emptySnapshot(input, pr, configError);
    Object.assign(snapshot, commentsOf(comments.nodes, snapshot.botLogin));
    return { snapshot, rules };
  }
  await fillPreviousPaths(octokit, input, changed);

  const reads = await readContents(octokit, input, pr, changed, rules);
  const headTreeSha = reads.headTreeSha ?? treeFromCommits(pr);
  if (!headTreeSha) throw new Error(`${input.owner}/${input.repo}#${input.number}: head commit ${pr.headRefOid} not found`);

  // Query 3, for a SEP on the road to Final only: its changelog entry and the conformance repository.
  const primary = reads.files.find((f) => f.change !== "removed") ?? null;
  const statusOf = (text: string | null | undefined) => (text ? parseSep(text, primary!.path, { rules }).status : null);
  const road = !!primary && onRoadToFinal(rules, { head: statusOf(primary.headText), base: statusOf(primary.baseText) }, nodesOf(pr.labels).map((l) => l.name), comments.nodes.filter((c) => !c.viewerDidAuthor));
  const complete = files.complete && files.nodes.length >= pr.changedFiles;
  // The SEP's number (a SEP numbered before the rule, or moved to Final by a later pull request, is not its PR's).
  const sep = primary ? (parseSep(primary.headText ?? primary.baseText ?? "", primary.path, { rules }).number ?? input.number) : input.number;
  const final = road ? await readFinal(octokit, { owner: input.owner, repo: input.repo, headSha: pr.headRefOid, number: sep, paths: files.nodes.map((f) => f.path), complete }, rules) : null;

  // Query 4, for a SEP tracked across the SDKs (or asked to be: `/track`, or the plan before asked for it).
  const people = comments.nodes.filter((c) => !c.viewerDidAuthor);
  const record = readState(commentsOf(comments.nodes, input.botLogin!).comments.sort((a, b) => a.id - b.id)[0]?.body).tracking ?? null;
  const tracked = !!rules.sdks && !!primary && (input.tracking === true || (record !== null && !record.none) || asksTracking(rules, people));
  const tracking = tracked ? await readTracking(octokit, { owner: input.owner, repo: input.repo, number: input.number, sep, defaultBranch: input.defaultBranch, botLogin: input.botLogin! }, rules, record) : null;

  const snapshot: Snapshot = {
    repo: { owner: input.owner, name: input.repo, defaultBranch: input.defaultBranch },
    pr: pullRequestState(pr, headTreeSha),
    files: reads.files,
    filesTruncated: !files.complete || files.nodes.length < pr.changedFiles,
    basePathsTaken: reads.basePathsTaken,
    ...commentsOf(comments.nodes, input.botLogin!),
    checkRun: reads.checkRun,
    ...(reads.project ? { project: reads.project } : {}),
    roles: reads.roles,
    directory: reads.directory,
    readNotes: reads.notes,
    botLogin: input.botLogin!,
    trigger: input.trigger,
    configError,
    ...(final ? { final } : {}),
    ...(tracking ? { tracking } : {}),
  };
  return { snapshot, rules };
}

/** A pull request with no SEP file: the planner has nothing to do with it. */
function emptySnapshot(input: ReadInput, pr: PullRequestNode, configError: string | null): Snapshot {
  return {
    repo: { owner: input.owner, name: input.repo, defaultBranch: input.defaultBranch },
    pr: pullRequestState(pr, treeFromCommits(pr) ?? ""),
    files: [],
    filesTruncated: false,
    basePathsTaken: [],
    comments: [],
    discussion: [],
    replies: [],
    pings: [],
    checkRun: null,
    roles: {},
    botLogin: input.botLogin ?? "sep-bot[bot]",
    trigger: input.trigger,
    configError,
  };
}

/** The repository's override as GraphQL read it (absent, or a directory: none; cut short or binary: no text). */
export function overrideOf(config: BlobNode | null): { rules: Rules; configError: string | null } {
  if (!config || config.text === undefined) return repositoryRules(null);
  return repositoryRules({ text: typeof config.text === "string" && !config.isTruncated ? config.text : null });
}
