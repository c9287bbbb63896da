/**
 * Turns file bytes or text into lines the parser can trust: size checked
 * before anything else, UTF-8 validated, BOM dropped, CRLF/CR/LF all line ends.
 */
export type SourceProblem =
  | { rule: "file-too-large"; message: string }
  | { rule: "file-encoding"; message: string }
  | { rule: "file-empty"; message: string };

export interface Source {
  lines: string[];
  bytes: number;
  problem: SourceProblem | null;
}

const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** `size`: the file's real size when the caller read only a prefix of a huge file. */
export function readSource(input: string | Uint8Array, maxBytes: number, size?: number): Source {
  const bytes = size ?? (typeof input === "string" ? Buffer.byteLength(input, "utf8") : input.byteLength);
  if (bytes > maxBytes) {
    return {
      lines: [],
      bytes,
      problem: {
        rule: "file-too-large",
        message: `The file is ${formatBytes(bytes)}; the limit is ${formatBytes(maxBytes)}. Move large material (data, generated schemas) to a linked file.`,
      },
    };
  }
  let text: string;
  if (typeof input === "string") {
    text = input;
  } else {
    try {
      text = decoder.decode(input);
    } catch {
      return { lines: [], bytes, problem: encodingProblem(firstInvalidUtf8(input)) };
    }
  }
  // A NUL never appears in text; its presence means a binary file.
  const nul = text.indexOf("\u0000");
  if (nul !== -1) return { lines: [], bytes, problem: encodingProblem(nul) };
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === "") return { lines: [], bytes, problem: { rule: "file-empty", message: "The file is empty. Start from the SEP template." } };
  return { lines: text.split(/\r\n|\r|\n/), bytes, problem: null };
}

function encodingProblem(offset: number): SourceProblem {
  return {
    rule: "file-encoding",
    message: `The file is not UTF-8 text (bad byte near offset ${offset}). Save it as UTF-8 without binary content.`,
  };
}

function firstInvalidUtf8(bytes: Uint8Array): number {
  // Binary search the longest valid prefix: TextDecoder only says yes or no.
  let lo = 0;
  let hi = bytes.byteLength;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
      lo = mid;
    } catch {
      hi = mid - 1;
    }
  }
  return lo;
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${n} bytes`;
}
