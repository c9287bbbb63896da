import { stemmer } from "stemmer";

/**
 * The words of a requirement that say what it is about, for comparing a
 * SEP's sentence with a traceability row that may quote the specification
 * documents in other words: lowercased, stemmed (Porter, the `stemmer`
 * package), without function words and the BCP 14 keywords themselves
 * (levels are compared apart). Identifiers stay whole (`offline_access`,
 * `roots/list`, `-32602`); hyphenated words count as their parts
 * ("client-to-server" is "client", "server").
 */

const STOP = new Set(
  `a an the and or nor but if then else when whenever while where which who whom whose that this these those there here it its they them their
  of to in on at by for from with without within into onto over under about above below between through during before after via per as than
  so such any all each every either neither both some no not only also too very same other another own is are was were be been being am
  has have had having do does did doing can could would will may might must shall should required recommended optional
  i e g eg ie etc vs cf mcp`.split(/\s+/),
);

/** A token: letters and digits, joined by `_`, `/` or `.` between digits (`offline_access`, `roots/list`, `2.4`). */
const TOKEN = /[a-z0-9]+(?:(?:[_/]|\.(?=\d))[a-z0-9]+)*/g;

export function tokensOf(text: string): string[] {
  const out: string[] = [];
  for (const [raw] of text.toLowerCase().matchAll(TOKEN)) {
    if (STOP.has(raw)) continue;
    if (/[_/.\d]/.test(raw)) out.push(raw); // identifiers and numbers as written
    else if (raw.length > 1) out.push(stemmer(raw));
  }
  return out;
}

/**
 * Inverse document frequency over a small corpus: a word many sentences share says little about which one a row traces.
 * A set's total weight is summed once (the matcher asks for it with every pair), and the weight two sets share
 * is summed over the smaller: a pair costs what its smaller side holds.
 */
export class Weights {
  private readonly df = new Map<string, number>();
  private readonly weight = new Map<string, number>();
  private readonly totals = new WeakMap<ReadonlySet<string>, number>();
  private readonly n: number;
  constructor(documents: ReadonlyArray<ReadonlySet<string>>) {
    this.n = documents.length;
    for (const doc of documents) for (const t of doc) this.df.set(t, (this.df.get(t) ?? 0) + 1);
  }
  of(token: string): number {
    let w = this.weight.get(token);
    if (w === undefined) {
      w = Math.log(1 + (this.n + 1) / ((this.df.get(token) ?? 0) + 1));
      this.weight.set(token, w);
    }
    return w;
  }
  sum(tokens: Iterable<string>): number {
    let total = 0;
    for (const t of tokens) total += this.of(t);
    return total;
  }
  /** A set's weight, summed once per set. */
  total(tokens: ReadonlySet<string>): number {
    let total = this.totals.get(tokens);
    if (total === undefined) {
      total = this.sum(tokens);
      this.totals.set(tokens, total);
    }
    return total;
  }
  /** The weight of `part`'s tokens that `whole` also holds, as a share of `part`'s weight (0..1). */
  share(part: ReadonlySet<string>, whole: ReadonlySet<string>): number {
    const all = this.total(part);
    if (all === 0) return 0;
    const [small, large] = part.size <= whole.size ? [part, whole] : [whole, part];
    let shared = 0;
    for (const t of small) if (large.has(t)) shared += this.of(t);
    return shared / all;
  }
}
