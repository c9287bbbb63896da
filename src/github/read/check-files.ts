import { batches } from "../../shared/batches.js";
import type { Rules } from "../../rules/schema.js";
import { blobText, cutBlob, readWholeBlobs } from "../blobs.js";
import { graphql, type BlobNode, type GitHub, type Variables } from "../graphql.js";
import { BLOB_FRAGMENT } from "./contents.js";
import { isSepFile } from "./files.js";

/**
 * What the Action's `check` reads of a pull request: the SEP files it
 * changes (REST lists them by pull request), their text at its head commit
 * (GraphQL, 50 a request; those GraphQL does not give as their bytes, whole
 * from the git blob API), and a file on a branch (the rules override).
 * Everything is read from the base repository, a fork's pull request too:
 * GitHub keeps its head commit there. Paths only ever travel as variables.
 */

/** Blobs by `rev:path` expression, in order (null: no such file, or not a file), 50 a request. */
export async function readBlobs(octokit: GitHub, owner: string, repo: string, expressions: readonly string[]): Promise<Array<BlobNode | null>> {
  const out: Array<BlobNode | null> = [];
  for (const batch of batches(expressions, 50)) {
    const variables: Variables = { owner, name: repo };
    const declarations = ["$owner: String!", "$name: String!"];
    const fields = batch.map((expression, i) => {
      variables[`f${i}`] = expression;
      declarations.push(`$f${i}: String!`);
      return `f${i}: object(expression: $f${i}) { ...SepBlob }`;
    });
    const query = `query SepCheckFiles(${declarations.join(", ")}) {\n  repository(owner: $owner, name: $name) {\n    ${fields.join("\n    ")}\n  }\n}\n${BLOB_FRAGMENT}`;
    const data = await graphql<{ repository: Record<string, BlobNode | null> | null }>(octokit, query, variables, batch.map((_, i) => `f${i}`));
    for (const [i] of batch.entries()) {
      const blob = data.repository?.[`f${i}`] ?? null;
      out.push(blob && typeof blob.byteSize === "number" ? blob : null);
    }
  }
  return out;
}

/** The SEP files a pull request adds or changes (not those it removes). */
export async function changedSepPaths(octokit: GitHub, pr: { owner: string; repo: string; number: number }, rules: Rules): Promise<string[]> {
  const listed = await octokit.paginate(octokit.rest.pulls.listFiles, { owner: pr.owner, repo: pr.repo, pull_number: pr.number, per_page: 100 });
  return listed.filter((f) => f.status !== "removed" && isSepFile(f.filename, rules)).map((f) => f.filename);
}

/**
 * Each path's text at `sha` (null text: binary, over `maxBytes`, or not
 * UTF-8, with its size), or null when the commit has no such file.
 */
export async function headTexts(octokit: GitHub, repo: { owner: string; repo: string }, sha: string, paths: readonly string[], maxBytes: number): Promise<Array<{ text: string | null; size: number } | null>> {
  const blobs = await readBlobs(octokit, repo.owner, repo.repo, paths.map((path) => `${sha}:${path}`));
  const cut = blobs.flatMap((blob) => cutBlob(blob, maxBytes) ?? []);
  const whole = cut.length ? await readWholeBlobs(octokit, repo, cut) : new Map<string, string | null>();
  return blobs.map((blob) => blobText(blob, maxBytes, whole));
}
