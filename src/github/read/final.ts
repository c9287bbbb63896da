import type { ConformanceRead, FinalRead } from "../../governance/model/snapshot.js";
import { ConformanceFileError, conformanceKey, parseManifest, type ManifestEntry } from "../../governance/final/traceability.js";
import type { ConformanceKeys } from "../../reports/sweep/due.js";
import type { Rules } from "../../rules/schema.js";
import { blobText, cutBlob, readWholeBlobs } from "../blobs.js";
import { graphql, type BlobNode, type GitHub, type Variables } from "../graphql.js";
import { BLOB_FRAGMENT } from "./contents.js";

/**
 * Query 3 of a pull request's snapshot, only for a SEP on the road to Final
 * (Accepted, or being moved to Final): the changelog at the head, and from
 * the conformance repository (rules `final.conformance`; a public one needs
 * no installation there) the SEP's traceability file and the manifest's
 * object ID. The manifest, the one large file, is read by its object ID
 * only when this process has not read that version before (one request
 * more, once a week on the repository's weekly run). When the conformance
 * repository cannot be read, the snapshot says why and nothing is refused
 * for it.
 */

/** Manifests read, by object ID: a new version appears about once a week. */
const MANIFESTS = new Map<string, string>();
const MANIFESTS_KEPT = 4;
/** The manifest is a generated file; past this it is not one. */
const MAX_MANIFEST_BYTES = 20_000_000;

export interface FinalReadInput {
  owner: string;
  repo: string;
  headSha: string;
  /** The SEP's number: its traceability file is named after it. */
  number: number;
  paths: readonly string[];
  complete: boolean;
}

interface FinalData {
  repository?: { changelog?: BlobNode | null } | null;
  conformance?: { url?: string; yaml?: BlobNode | null; manifest?: { oid?: string } | null } | null;
}

export async function readFinal(octokit: GitHub, input: FinalReadInput, rules: Rules): Promise<FinalRead> {
  const { changelog: changelogPath, conformance: rule } = rules.final;
  const declarations = ["$owner: String!", "$name: String!"];
  const variables: Variables = { owner: input.owner, name: input.repo };
  const fields: string[] = [];
  if (changelogPath) {
    declarations.push("$changelog: String!");
    variables.changelog = `${input.headSha}:${changelogPath}`;
    fields.push("repository(owner: $owner, name: $name) { changelog: object(expression: $changelog) { ...SepBlob } }");
  }
  const [cOwner, cName] = rule ? rule.repo.split("/") : [];
  const yamlPath = rule ? `${rule.folder.replace(/\/$/, "")}/${rule.file.replace("{number}", String(input.number))}` : "";
  if (rule) {
    declarations.push("$cOwner: String!", "$cName: String!", "$yaml: String!");
    Object.assign(variables, { cOwner: cOwner!, cName: cName!, yaml: `${rule.ref}:${yamlPath}` });
    const manifest = rule.manifest ? "manifest: object(expression: $manifest) { oid }" : "";
    if (rule.manifest) {
      declarations.push("$manifest: String!");
      variables.manifest = `${rule.ref}:${rule.manifest}`;
    }
    fields.push(`conformance: repository(owner: $cOwner, name: $cName) { url yaml: object(expression: $yaml) { ...SepBlob } ${manifest} }`);
  }
  const changes = { paths: input.paths, complete: input.complete, changelog: null as string | null };
  if (!fields.length) return { changes, conformance: null, note: null };

  const query = `query SepFinal(${declarations.join(", ")}) {\n  ${fields.join("\n  ")}\n}\n${BLOB_FRAGMENT}`;
  const { data, conformanceError } = await readTolerating(octokit, query, variables);
  const maxBytes = rules.limits.maxFileBytes;
  const changelogBlob = data.repository?.changelog;
  if (changelogBlob) {
    const cut = cutBlob(changelogBlob, maxBytes);
    const whole = cut ? await readWholeBlobs(octokit, { owner: input.owner, repo: input.repo }, [cut]) : new Map<string, string | null>();
    changes.changelog = blobText(changelogBlob, maxBytes, whole)?.text ?? null;
  }
  if (!rule) return { changes, conformance: null, note: null };
  const repo = data.conformance;
  if (!repo || conformanceError) return { changes, conformance: null, note: `${rule.repo}: ${conformanceError ?? "not found, or this installation cannot read it"}` };

  const base = repo.url ?? `https://github.com/${rule.repo}`;
  const blobUrl = (path: string) => `${base}/blob/${rule.ref === "HEAD" ? "HEAD" : rule.ref}/${path}`;
  const yaml = repo.yaml;
  const yamlCut = cutBlob(yaml, MAX_MANIFEST_BYTES);
  const conformance: ConformanceRead = {
    traceability: {
      text: yaml ? (yamlCut ? ((await readWholeBlobs(octokit, { owner: cOwner!, repo: cName! }, [yamlCut])).get(yamlCut.oid) ?? null) : (yaml.text ?? null)) : null,
      path: yamlPath,
      url: yaml ? blobUrl(yamlPath) : null,
      oid: yaml?.oid ?? null,
    },
    manifest: null,
  };
  const manifestOid = repo.manifest?.oid ?? null;
  if (rule.manifest) {
    conformance.manifest = { text: null, url: manifestOid ? blobUrl(rule.manifest) : null, oid: manifestOid };
    if (manifestOid) conformance.manifest.text = await manifestText(octokit, { owner: cOwner!, repo: cName! }, manifestOid);
  }
  return { changes, conformance, note: null };
}

/** The manifest at `oid`: from this process's memory, else one read (raw when GraphQL would cut it). */
async function manifestText(octokit: GitHub, repo: { owner: string; repo: string }, oid: string): Promise<string | null> {
  const known = MANIFESTS.get(oid);
  if (known !== undefined) return known;
  const data = await graphql<{ repository?: { manifest?: BlobNode | null } | null }>(
    octokit,
    `query SepManifest($owner: String!, $name: String!, $oid: GitObjectID!) { repository(owner: $owner, name: $name) { manifest: object(oid: $oid) { ...SepBlob } } }\n${BLOB_FRAGMENT}`,
    { owner: repo.owner, name: repo.repo, oid },
    ["repository"],
  );
  const blob = data.repository?.manifest;
  const cut = cutBlob(blob, MAX_MANIFEST_BYTES);
  const whole = cut ? await readWholeBlobs(octokit, repo, [cut]) : new Map<string, string | null>();
  const text = blobText(blob, MAX_MANIFEST_BYTES, whole)?.text ?? null;
  if (text !== null) {
    MANIFESTS.set(oid, text);
    for (const old of [...MANIFESTS.keys()].slice(0, Math.max(0, MANIFESTS.size - MANIFESTS_KEPT))) MANIFESTS.delete(old);
  }
  return text;
}

/** Forgets the manifests read (tests: each starts as a fresh process would). */
export function forgetManifests(): void {
  MANIFESTS.clear();
}

/**
 * The query's answer, with what went wrong on the conformance repository
 * alone (not found, not accessible to this token) set apart: that is said
 * in the report, never a failed reconcile. Anything else fails as usual.
 */
async function readTolerating(octokit: GitHub, query: string, variables: Variables): Promise<{ data: FinalData; conformanceError: string | null }> {
  try {
    return { data: await graphql<FinalData>(octokit, query, variables, ["changelog"]), conformanceError: null };
  } catch (error) {
    const details = error as { name?: string; errors?: Array<{ type?: string; path?: Array<string | number>; message: string }>; data?: FinalData };
    const errors = details.name === "GraphqlResponseError" ? (details.errors ?? []) : [];
    const onConformance = (e: { path?: Array<string | number> }) => e.path?.[0] === "conformance";
    const changelogAbsent = (e: { type?: string; path?: Array<string | number> }) => e.type === "NOT_FOUND" && e.path?.[1] === "changelog";
    if (!errors.length || !details.data || !errors.every((e) => onConformance(e) || changelogAbsent(e)) || !errors.some(onConformance)) throw error;
    return { data: details.data, conformanceError: errors.find(onConformance)!.message };
  }
}

/**
 * Whether a pull request's SEP is on the road to Final, so query 3 is worth
 * its request: every state label it carries (the approved status) is one of
 * `final.from` or Final (with none yet, first contact, its file at the head
 * says so), or a person's comment holds a command that moves it to Final
 * (`/accept` then `/final` in one go). A SEP already Final on the default
 * branch has reached it.
 */
export function onRoadToFinal(rules: Rules, file: { head: string | null; base: string | null }, labels: readonly string[], comments: ReadonlyArray<{ body: string }>): boolean {
  if (file.base === rules.final.status) return false;
  const road = new Set([...rules.final.from, rules.final.status]);
  const stateLabels = labels.map((l) => l.toLowerCase()).filter((l) => rules.statuses.some((s) => s.label.toLowerCase() === l));
  const approved = stateLabels.length ? stateLabels.every((l) => rules.statuses.some((s) => road.has(s.id) && s.label.toLowerCase() === l)) : file.head !== null && road.has(file.head);
  if (approved) return true;
  const final = rules.statuses.find((s) => s.id === rules.final.status);
  const words = final ? [final.id, final.display, ...final.aliases].map(escape) : [];
  const toFinal = Object.entries(rules.commands).flatMap(([name, c]) => (c.does !== "status" ? [] : c.to === rules.final.status ? [escape(name)] : !c.to && words.length ? [`${escape(name)}\\s+(?:${words.join("|")})`] : []));
  return commandIn(rules, comments, toFinal);
}

/** A person's comment holds one of these commands (regular expressions of names), or an alias of one: worth a read before the plan. */
export function commandIn(rules: Rules, comments: ReadonlyArray<{ body: string }>, names: readonly string[]): boolean {
  const aliases = Object.entries(rules.commandAliases).filter(([, to]) => names.includes(escape(to))).map(([alias]) => escape(alias));
  if (!names.length) return false;
  const command = new RegExp(`^ {0,3}/(?:${[...names, ...aliases].join("|")})\\b`, "im");
  return comments.some((c) => command.test(c.body));
}

/** A person's comment holds `/track` (or its alias). */
export function asksTracking(rules: Rules, comments: ReadonlyArray<{ body: string }>): boolean {
  return commandIn(rules, comments, Object.entries(rules.commands).filter(([, c]) => c.does === "track").map(([name]) => escape(name)));
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The sweep's read of the conformance repository: one request lists its
 * traceability folder (names and object IDs, no text) and the manifest's
 * object ID; the manifest is read once per version. From these, the key
 * each SEP's status comment remembers (`conformanceKey`): an accepted SEP
 * whose key moved is re-planned. Whatever goes wrong here is a note, never
 * a failed sweep.
 */
export async function readConformanceKeys(octokit: GitHub, rules: Rules, notes: string[]): Promise<ConformanceKeys | null> {
  const rule = rules.final.conformance;
  if (!rule) return null;
  const [owner, name] = rule.repo.split("/") as [string, string];
  try {
    const data = await graphql<{ repository?: { seps?: { entries?: Array<{ name: string; oid: string }> | null } | null; manifest?: { oid?: string } | null } | null }>(
      octokit,
      `query SepConformanceIndex($owner: String!, $name: String!, $folder: String!, $manifest: String!) {
  repository(owner: $owner, name: $name) {
    seps: object(expression: $folder) { ... on Tree { entries { name oid } } }
    manifest: object(expression: $manifest) { oid }
  }
}`,
      { owner, name, folder: `${rule.ref}:${rule.folder.replace(/\/$/, "")}`, manifest: `${rule.ref}:${rule.manifest ?? "-"}` },
      [],
    );
    if (!data.repository) throw new Error("not found");
    const [before, after] = rule.file.split("{number}") as [string, string?];
    const files = new Map<number, string>();
    for (const entry of data.repository.seps?.entries ?? []) {
      if (!entry.name.startsWith(before) || !entry.name.endsWith(after ?? "")) continue;
      const number = Number(entry.name.slice(before.length, entry.name.length - (after ?? "").length));
      if (Number.isSafeInteger(number) && number > 0) files.set(number, entry.oid);
    }
    const manifestOid = rule.manifest ? (data.repository.manifest?.oid ?? null) : null;
    const text = manifestOid ? await manifestText(octokit, { owner, repo: name }, manifestOid) : null;
    let entries = new Map<number, ManifestEntry>();
    try {
      entries = text ? parseManifest(text).seps : entries;
    } catch (error) {
      if (!(error instanceof ConformanceFileError)) throw error;
      notes.push(`${rule.repo}: ${rule.manifest} is not a traceability manifest (${error.message}); its checks are not shown.`);
    }
    const keys: Record<string, string> = {};
    for (const number of new Set([...files.keys(), ...entries.keys()])) keys[number] = conformanceKey(files.get(number) ?? null, entries.get(number) ?? null);
    return { keys, none: conformanceKey(null, null) };
  } catch (error) {
    notes.push(`${rule.repo} could not be read (${(error as Error).message.split("\n")[0]}): accepted SEPs' conformance traceability is not re-checked this time.`);
    return null;
  }
}
