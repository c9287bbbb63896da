import { sameLogin } from "../../shared/logins.js";
import type { BoardRead } from "../../governance/model/snapshot.js";
import { CHECK_NAME, readDigest } from "../../governance/check/check-run.js";
import { parseMaintainerDirectory } from "../../governance/people/maintainers.js";
import { type ListedPerson } from "../../governance/model/snapshot.js";
import { roleMembers } from "../../governance/people/roles.js";
import type { ChangedSepFile, ExistingCheckRun } from "../../governance/model/snapshot.js";
import type { Rules } from "../../rules/schema.js";
import { batches } from "../../shared/batches.js";
import { isRegularFile } from "../../sep/file-kind.js";
import { blobText, cutBlob, readWholeBlobs } from "../blobs.js";
import pMap from "p-map";
import { BOARD_NOTE, graphql, READS_AT_ONCE, type BlobNode, type Connection, type GitHub, type Variables } from "../graphql.js";
import { boardOf, boardReadOf, PROJECT_FIELDS, PROJECT_ITEMS, type ProjectItemsNode, type ProjectOwnerNode } from "./board.js";
import type { ChangedFile } from "./files.js";
import type { PullRequestNode, ReadInput } from "./pull-request.js";

/**
 * Query 2 of a pull request's snapshot: the SEP files' contents at the head,
 * on the default branch and at the trigger's other pushes (blobs GraphQL cuts
 * short read whole), the SEP directory, the maintainers file and teams, the
 * project board and sep-bot's last check run. File paths from the pull
 * request only ever travel as GraphQL variables, never in the query text.
 */

const FILES_PER_READ = 50;

interface CheckSuiteNode {
  app: { databaseId: number | null } | null;
  checkRuns: Connection<{ databaseId: number | null; summary: string | null }> | null;
}
interface HeadCommitNode {
  tree?: { oid: string };
  checkSuites?: Connection<CheckSuiteNode> | null;
}

interface ContentReads {
  project: BoardRead | null;
  files: ChangedSepFile[];
  /** What could not be read and what that means, for the check run. */
  notes: string[];
  headTreeSha: string | null;
  basePathsTaken: string[];
  roles: Record<string, string[]>;
  directory: ListedPerson[];
  checkRun: ExistingCheckRun | null;
}

export async function readContents(
  octokit: GitHub,
  input: ReadInput,
  pr: PullRequestNode,
  changed: ChangedFile[],
  rules: Rules,
): Promise<ContentReads> {
  // `changed` is never empty here: a PR without SEP files returns before reading contents.
  const fileBatches = batches(changed, FILES_PER_READ);
  const notes: string[] = [];
  let extras: ExtrasResult | null = null;
  const pushed = otherPushes(input, pr);
  // The directories of the SEP files at the head (one, normally): their entries say which are files (file-kind.ts).
  const dirs = [...new Set(changed.filter((f) => f.change !== "removed").map((f) => f.path.slice(0, f.path.lastIndexOf("/"))))];
  // More than 50 SEP files (rare): their batches are read at once.
  const answers = await pMap(
    fileBatches.entries(),
    async ([i, batch]) => {
      const query = buildContentsQuery(input, pr, batch, rules, i === 0, pushed, dirs);
      const data = await graphql<ContentsData>(octokit, query.text, query.variables, query.optional, notes);
      if (i === 0) extras = readExtras(data, input, pr, rules, notes, dirs);
      return { batch, repository: data.repository ?? {} };
    },
    { concurrency: READS_AT_ONCE },
  );

  // GraphQL cut the largest SEPs short: read those blobs whole (all of them at once) before any text is used.
  const maxBytes = rules.limits.maxFileBytes;
  const cut = answers.flatMap(({ batch, repository }) =>
    batch.flatMap((_, j) => [`h${j}`, `b${j}`, ...pushed.map((_, k) => `p${j}_${k}`)].flatMap((alias) => cutBlob(repository[alias], maxBytes) ?? [])),
  );
  const whole = cut.length ? await readWholeBlobs(octokit, { owner: input.owner, repo: input.repo }, cut) : new Map<string, string | null>();

  const modes = extras!.headModes;
  const files: ChangedSepFile[] = answers.flatMap(({ batch, repository }) =>
    batch.map((file, j) => ({
      ...withContents(file, repository[`h${j}`], repository[`b${j}`], rules, whole, modes.get(file.path)),
      ...(pushed.length && file.change !== "removed"
        ? { pushed: pushed.map((sha, k) => ({ sha, text: blobText(repository[`p${j}_${k}`], maxBytes, whole)?.text ?? null })) }
        : {}),
    })),
  );
  return { files, ...extras!, notes };
}

/** Pushed commits in the trigger other than the head (a merged burst): the Status they carried may decide who set it. */
const MAX_PUSHES_READ = 5;
function otherPushes(input: ReadInput, pr: PullRequestNode): string[] {
  const people = input.trigger.pushes.filter((p) => !(input.botLogin && sameLogin(p.actor, input.botLogin))).slice(-MAX_PUSHES_READ);
  // The commits each push made and came from: whether it changed the Status decides who set it.
  const shas = people.flatMap((p) => [p.sha, ...(p.before ? [p.before] : [])]).filter((sha) => sha !== pr.headRefOid);
  return [...new Set(shas)].slice(-2 * MAX_PUSHES_READ);
}

interface ContentsData {
  repository: Record<string, (BlobNode & HeadCommitNode & ProjectItemsNode & { entries?: Array<{ name: string; mode?: number }> | null }) | null> | null;
  organization?: Record<string, { members?: Connection<{ login: string }> | null } | null> | null;
  projectOwner?: ProjectOwnerNode | null;
}

export const BLOB_FRAGMENT = "fragment SepBlob on Blob { oid text byteSize isBinary isTruncated }";

/**
 * Builds query 2. Every dynamic string (expressions with paths, team slugs)
 * is a variable; aliases and variable names are generated (`h0`, `b0`, `t0`).
 * `withExtras`: the first batch also reads what is read once per pull request.
 */
function buildContentsQuery(
  input: Pick<ReadInput, "owner" | "repo" | "appId" | "defaultBranch">,
  pr: Pick<PullRequestNode, "headRefOid" | "baseRefName" | "number">,
  files: ChangedFile[],
  rules: Rules,
  withExtras: boolean,
  pushed: readonly string[] = [],
  dirs: readonly string[] = [],
): { text: string; variables: Variables; optional: string[] } {
  const declarations = ["$owner: String!", "$name: String!"];
  const variables: Variables = { owner: input.owner, name: input.repo };
  const fields: string[] = [];
  const optional: string[] = [];
  const read = (alias: string, type: string, value: string | number) => {
    declarations.push(`$${alias}: ${type}`);
    variables[alias] = value;
  };

  files.forEach((file, i) => {
    if (file.change !== "removed") {
      read(`h${i}`, "String!", `${pr.headRefOid}:${file.path}`);
      fields.push(`h${i}: object(expression: $h${i}) { ...SepBlob }`);
    }
    // Trusted reads come from the default branch: a PR's author picks its base, and could pick a branch they wrote.
    read(`b${i}`, "String!", `${input.defaultBranch}:${file.previousPath ?? file.path}`);
    fields.push(`b${i}: object(expression: $b${i}) { ...SepBlob }`);
    optional.push(`h${i}`, `b${i}`);
    if (file.change === "removed") return;
    pushed.forEach((sha, k) => {
      read(`p${i}_${k}`, "String!", `${sha}:${file.path}`);
      fields.push(`p${i}_${k}: object(expression: $p${i}_${k}) { ...SepBlob }`);
      optional.push(`p${i}_${k}`);
    });
  });

  const top: string[] = [];
  if (withExtras) {
    read("headOid", "GitObjectID!", pr.headRefOid);
    read("checkName", "String!", CHECK_NAME);
    const suiteFilter = input.appId === undefined ? "" : ", filterBy: { appId: $appId }";
    if (input.appId !== undefined) read("appId", "Int!", input.appId);
    fields.push(
      `head: object(oid: $headOid) { ... on Commit { tree { oid } checkSuites(first: 20${suiteFilter}) { nodes { app { databaseId } checkRuns(first: 10, filterBy: { checkName: $checkName }) { nodes { databaseId summary } } } } } }`,
    );
    read("sepDir", "String!", `${input.defaultBranch}:${rules.sepDirectory}`);
    fields.push("sepDir: object(expression: $sepDir) { ... on Tree { entries { name } } }");
    optional.push("head", "sepDir");
    // GraphQL shows a symbolic link as a blob holding its target: only the tree's modes tell it from a file.
    dirs.forEach((dir, k) => {
      read(`d${k}`, "String!", `${pr.headRefOid}:${dir}`);
      fields.push(`d${k}: object(expression: $d${k}) { ... on Tree { entries { name mode } } }`);
      optional.push(`d${k}`);
    });
    const shared = rolesAndBoardSelection(rules, input.defaultBranch, read, pr.number);
    fields.push(...shared.fields);
    top.push(...shared.top);
    optional.push(...shared.optional);
  }

  const usesBlob = fields.some((f) => f.includes("...SepBlob"));
  const text = `query SepContents(${declarations.join(", ")}) {
  repository(owner: $owner, name: $name) {
    ${fields.join("\n    ") || "id"}
  }${top.map((t) => `\n  ${t}`).join("")}
}${usesBlob ? `\n${BLOB_FRAGMENT}` : ""}`;
  return { text, variables, optional };
}

/**
 * What the snapshot and the sweep read alike, as fields of `repository`
 * (`fields`) and of the query (`top`): the maintainers file on the default
 * branch, the teams the roles name, and the project board (with the PR's
 * items when `prNumber` is given). `read` declares each variable. The answer
 * is read back with rolesFrom, boardOf and takeBoardNote.
 */
export function rolesAndBoardSelection(
  rules: Rules,
  defaultBranch: string,
  read: (alias: string, type: string, value: string | number) => void,
  prNumber: number | null,
): { fields: string[]; top: string[]; optional: string[] } {
  const fields: string[] = [];
  const top: string[] = [];
  const optional: string[] = [];
  if (rules.maintainers.file !== null) {
    read("maintainersFile", "String!", `${defaultBranch}:${rules.maintainers.file}`);
    fields.push("maintainersFile: object(expression: $maintainersFile) { ...SepBlob }");
    optional.push("maintainersFile");
  }
  if (rules.project) {
    read("projectOwner", "String!", rules.project.owner);
    read("projectNumber", "Int!", rules.project.number);
    read("projectField", "String!", rules.project.field);
    top.push(`projectOwner: repositoryOwner(login: $projectOwner) { ${PROJECT_FIELDS} }`);
    optional.push("projectOwner");
    if (prNumber !== null) {
      read("number", "Int!", prNumber);
      fields.push(`pr: pullRequest(number: $number) { ${PROJECT_ITEMS} }`);
      optional.push("pr");
    }
  }
  const teams = teamSlugs(rules).map((slug, i) => {
    read(`t${i}`, "String!", slug);
    return `t${i}: team(slug: $t${i}) { members(first: 100) { nodes { login } } }`;
  });
  if (teams.length) {
    top.unshift(`organization(login: $owner) { ${teams.join(" ")} }`);
    optional.push("organization");
  }
  return { fields, top, optional };
}

/** The board's read failure, out of the check's notes: planBoard words it (see the graphql helper). */
export function takeBoardNote(notes: string[]): string | null {
  const i = notes.findIndex((n) => n.startsWith(BOARD_NOTE));
  return i >= 0 ? notes.splice(i, 1)[0]! : null;
}

function withContents(
  file: ChangedFile,
  head: BlobNode | null | undefined,
  base: BlobNode | null | undefined,
  rules: Rules,
  whole: ReadonlyMap<string, string | null>,
  mode: string | undefined,
): ChangedSepFile {
  const headMode = file.change === "removed" ? undefined : mode;
  // A link's blob is its target, a submodule has none here: neither is the SEP's text.
  const headBlob = file.change === "removed" ? null : isRegularFile(headMode) ? blobText(head, rules.limits.maxFileBytes, whole) : { text: null, size: head?.byteSize ?? 0 };
  return {
    ...file,
    headText: headBlob?.text ?? null,
    headSize: headBlob?.size ?? 0,
    baseText: blobText(base, rules.limits.maxFileBytes, whole)?.text ?? null,
    ...(headMode ? { headMode } : {}),
  };
}

interface ExtrasResult {
  /** Each SEP file's git mode at the head, by path (octal, as git writes it). */
  headModes: Map<string, string>;
  project: BoardRead | null;
  headTreeSha: string | null;
  basePathsTaken: string[];
  roles: Record<string, string[]>;
  directory: ListedPerson[];
  checkRun: ExistingCheckRun | null;
}

function readExtras(data: ContentsData, input: ReadInput, pr: PullRequestNode, rules: Rules, notes: string[], dirs: readonly string[]): ExtrasResult {
  const repository = data.repository ?? {};
  const headModes = new Map<string, string>();
  dirs.forEach((dir, k) => {
    for (const entry of repository[`d${k}`]?.entries ?? []) if (typeof entry.mode === "number") headModes.set(`${dir}/${entry.name}`, entry.mode.toString(8));
  });
  const head = repository.head ?? null;
  const entries = repository.sepDir?.entries ?? [];
  // A board that could not be read is the board's note, not the check's: planBoard words it.
  const note = takeBoardNote(notes);
  const project = rules.project ? boardReadOf(boardOf(data.projectOwner), repository.pr, pr.id, note, `${rules.project.owner}#${rules.project.number}`) : null;
  return {
    headModes,
    project,
    headTreeSha: head?.tree?.oid ?? null,
    basePathsTaken: entries.map((entry) => `${rules.sepDirectory}/${entry.name}`).sort(),
    roles: rolesFrom(data, rules),
    directory: directoryFrom(data),
    checkRun: newestCheckRun(head, input.appId, pr.headRefOid),
  };
}

/** Every team any role names, once (team slugs are case-insensitive). */
export function teamSlugs(rules: Rules): string[] {
  return [...new Set(Object.values(rules.roles).flatMap((role) => role.teams.map((t) => t.toLowerCase())))];
}

/** Everyone the base branch's maintainers file links to a login, with their name. */
export function directoryFrom(data: { repository?: { maintainersFile?: BlobNode | null } | null }): ListedPerson[] {
  const file = data.repository?.maintainersFile;
  return typeof file?.text === "string" && !file.isTruncated ? parseMaintainerDirectory(file.text) : [];
}

/** Role members from the base-branch file, teams and configured users; never anything from the pull request itself. */
export function rolesFrom(data: Pick<ContentsData, "organization"> & { repository?: { maintainersFile?: BlobNode | null } | null }, rules: Rules): Record<string, string[]> {
  const file = data.repository?.maintainersFile;
  const text = typeof file?.text === "string" && !file.isTruncated ? file.text : null;
  const teams: Record<string, string[]> = {};
  teamSlugs(rules).forEach((slug, i) => {
    teams[slug] = (data.organization?.[`t${i}`]?.members?.nodes ?? []).flatMap((member) => (member ? [member.login] : []));
  });
  return roleMembers(rules, text, teams);
}

/**
 * Our latest `SEP checks` run on the head commit. Check run ids grow with
 * creation time, and GitHub's list order is not documented, so the highest id wins.
 */
function newestCheckRun(head: HeadCommitNode | null, appId: number | undefined, headSha: string): ExistingCheckRun | null {
  let newest: { databaseId: number; summary: string | null } | null = null;
  for (const suite of head?.checkSuites?.nodes ?? []) {
    if (!suite || (appId !== undefined && suite.app?.databaseId !== appId)) continue;
    for (const run of suite.checkRuns?.nodes ?? []) {
      if (run?.databaseId == null) continue;
      if (!newest || run.databaseId > newest.databaseId) newest = { databaseId: run.databaseId, summary: run.summary };
    }
  }
  return newest && { id: newest.databaseId, headSha, digest: readDigest(newest.summary ?? "") };
}
