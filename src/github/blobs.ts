import type { GitHub } from "./graphql.js";

/**
 * GraphQL's `Blob.text` stops at 512,000 bytes (and says `isTruncated`), so a
 * larger SEP is read whole through the REST git blob API, which serves blobs
 * up to 100 MB. A file is only ever written back from its complete text.
 */

/** A blob as GraphQL listed it: which one, and how many bytes it has. */
export interface WholeBlob {
  oid: string;
  byteSize: number;
}

/** Truncated blobs are few (the largest SEPs); a few reads at once is plenty, and spares the rate limit. */
export const CONCURRENT_READS = 4;

/** Fatal: invalid UTF-8 is a finding, never text with U+FFFD in it. The BOM is kept, as GraphQL keeps it. */
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * The whole text of each blob (once per oid), or null for one that is not
 * UTF-8. Read from the base repository: a fork's head blobs are reachable
 * there too (refs/pull/N/head).
 */
export async function readWholeBlobs(
  octokit: GitHub,
  repo: { owner: string; repo: string },
  blobs: readonly WholeBlob[],
): Promise<Map<string, string | null>> {
  const pending = [...new Map(blobs.map((blob) => [blob.oid, blob])).values()];
  const texts = new Map<string, string | null>();
  const worker = async () => {
    for (let blob = pending.shift(); blob; blob = pending.shift()) texts.set(blob.oid, await readWholeBlob(octokit, repo, blob));
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENT_READS, pending.length) }, worker));
  return texts;
}

async function readWholeBlob(octokit: GitHub, repo: { owner: string; repo: string }, blob: WholeBlob): Promise<string | null> {
  const { data } = await octokit.rest.git.getBlob({ owner: repo.owner, repo: repo.repo, file_sha: blob.oid });
  const bytes = Buffer.from(data.content, data.encoding === "base64" ? "base64" : "utf8");
  // Anything but the whole blob must never stand for the file: fail the read rather than edit a cut text.
  if (bytes.byteLength !== blob.byteSize) {
    throw new Error(`${repo.owner}/${repo.repo}: blob ${blob.oid} came back with ${bytes.byteLength} of its ${blob.byteSize} bytes`);
  }
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}
