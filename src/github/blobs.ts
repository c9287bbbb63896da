import type { BlobNode, GitHub } from "./graphql.js";

/**
 * GraphQL's `Blob.text` stops at 512,000 bytes (and says `isTruncated`), and
 * turns bytes that are not UTF-8 into U+FFFD without a word; such a blob is
 * read whole through the REST git blob API (blobs up to 100 MB), where bytes
 * that are not UTF-8 make no text at all. A file is only ever written back
 * from its complete, exact text.
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

/**
 * A blob's text, or null text (with its size) when it is binary, over the
 * limit, or not UTF-8. GraphQL's text stands for the file only when it is
 * all of its bytes (see `needsRawRead`); otherwise the whole blob's text
 * (`whole`, by oid, read raw) stands for it, never GraphQL's.
 */
export function blobText(blob: BlobNode | null | undefined, maxBytes: number, whole: ReadonlyMap<string, string | null>): { text: string | null; size: number } | null {
  if (!blob || typeof blob.byteSize !== "number") return null; // absent, or a directory
  const size = blob.byteSize;
  if (blob.isBinary || size > maxBytes) return { text: null, size };
  if (needsRawRead(blob)) return { text: blob.oid === undefined ? null : (whole.get(blob.oid) ?? null), size };
  return { text: typeof blob.text === "string" ? blob.text : null, size };
}

/** A blob whose text GraphQL did not give as its bytes, worth reading raw: text, and within the size limit. */
export function cutBlob(blob: BlobNode | null | undefined, maxBytes: number): WholeBlob | null {
  const { oid, byteSize } = blob ?? {};
  return blob && !blob.isBinary && needsRawRead(blob) && oid !== undefined && byteSize !== undefined && byteSize <= maxBytes ? { oid, byteSize } : null;
}

/**
 * GraphQL's `text` does not stand for the blob: cut at 512,000 bytes, or not
 * decoded without loss. GitHub decodes a byte that is not UTF-8 as U+FFFD,
 * silently; the text's UTF-8 length then differs from `byteSize`, except for
 * a cut sequence of three bytes, so a U+FFFD in the text is read raw too (a
 * file may hold a real one: rare, and one request tells).
 */
export function needsRawRead(blob: BlobNode): boolean {
  if (blob.isTruncated) return true;
  return typeof blob.text === "string" && (Buffer.byteLength(blob.text, "utf8") !== blob.byteSize || blob.text.includes("\uFFFD"));
}
