/**
 * The words of BCP 14 (RFC 2119, RFC 8174) that make a sentence a
 * requirement the conformance rule asks to trace: MUST, MUST NOT, SHOULD,
 * SHOULD NOT, SHALL, SHALL NOT, REQUIRED, RECOMMENDED and NOT RECOMMENDED.
 * MAY and OPTIONAL grant, they do not oblige: not traced; nor does "NOT
 * REQUIRED" (or "not REQUIRED"), which says something is optional. As RFC
 * 8174 says, only the capitalised words carry the meaning ("servers should"
 * is prose). A keyword inside a code span (`MUST`) is a value, not a word.
 */

export type Keyword = "MUST NOT" | "MUST" | "SHALL" | "SHALL NOT" | "REQUIRED" | "SHOULD" | "SHOULD NOT" | "RECOMMENDED" | "NOT RECOMMENDED";
/** How strongly a keyword obliges: a row at a weaker level than its requirement traces it only in part. */
export type Level = "must" | "should";

/** "NOT REQUIRED" first, so its REQUIRED is never read alone. */
const KEYWORDS = /\b([Nn][Oo][Tt]\s+REQUIRED|MUST\s+NOT|MUST|SHALL\s+NOT|SHALL|SHOULD\s+NOT|SHOULD|NOT\s+RECOMMENDED|RECOMMENDED|REQUIRED)\b/g;

export function levelOf(keyword: Keyword): Level {
  return keyword.startsWith("MUST") || keyword.startsWith("SHALL") || keyword === "REQUIRED" ? "must" : "should";
}

/** The keywords of a text in order, each with where it stands (its "NOT REQUIRED"s left out). */
function keywordsIn(plain: string): Array<{ keyword: Keyword; index: number; end: number }> {
  const out: Array<{ keyword: Keyword; index: number; end: number }> = [];
  for (const match of plain.matchAll(KEYWORDS)) {
    const keyword = match[1]!.replace(/\s+/g, " ");
    if (keyword.endsWith("REQUIRED") && keyword !== "REQUIRED") continue; // NOT REQUIRED: optional
    out.push({ keyword: keyword as Keyword, index: match.index, end: match.index + match[0].length });
  }
  return out;
}

/** The keyword a sentence is held to: its strongest (a MUST beside a SHOULD makes a MUST), the first of that level. Null: none. */
export function keywordOf(plain: string): Keyword | null {
  let best: Keyword | null = null;
  for (const { keyword } of keywordsIn(plain)) {
    if (!best || (levelOf(keyword) === "must" && levelOf(best) === "should")) best = keyword;
  }
  return best;
}

/**
 * What a text says it obliges, and which way, as a row or a requirement is
 * compared: its BCP 14 keywords; without one, a MAY or OPTIONAL (a grant,
 * weaker than any obligation); without those, "must", "shall" or "should" in
 * lower case (no level of their own, but a direction). A keyword followed by
 * "not" or "never", or preceded by "not" ("not RECOMMENDED"), forbids.
 */
export interface Stance {
  /** As written, for a note: "MUST NOT", "MAY", "must not". */
  said: string;
  /** null: lower case, taken at the requirement's level. */
  level: Level | "may" | null;
  /** Forbids rather than obliges; null for a grant (MAY). */
  negative: boolean | null;
}

const LOWER = /\b(must|shall|should)(\s+(?:not|never)\b|n['’]t\b)?|\b(mustn['’]t|shouldn['’]t|shan['’]t)/gi;

export function stancesOf(text: string): Stance[] {
  const plain = text.replace(/\s+/g, " ");
  const found = keywordsIn(plain);
  if (found.length) {
    return found.map(({ keyword, index, end }) => {
      const after = /^\s+(not|never)\b/i.test(plain.slice(end, end + 8));
      const before = /\bnot\s+$/i.test(plain.slice(Math.max(0, index - 6), index));
      return { said: keyword, level: levelOf(keyword), negative: keyword.includes("NOT") || after || before };
    });
  }
  const grant = /\b(MAY|OPTIONAL)\b/.exec(plain);
  if (grant) return [{ said: grant[1]!, level: "may", negative: null }];
  const out: Stance[] = [];
  for (const m of plain.matchAll(LOWER)) {
    const word = m[0];
    if (/^(must|shall|should)$/i.test(word) && !m[2]) out.push({ said: word.toLowerCase(), level: null, negative: false });
    else out.push({ said: word.toLowerCase().replace(/\s+/g, " "), level: null, negative: true });
  }
  return out;
}

/**
 * The code spans of inline markdown (`` `x` ``, ``` `` a ` b `` ```), each as
 * [start, end) with its backticks, in linear time: a run of backticks closes
 * at the next run of the same length; one that never closes is literal.
 */
export function codeSpans(markdown: string): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  for (let i = 0; i < markdown.length; ) {
    if (markdown.charCodeAt(i) !== 96) {
      i++;
      continue;
    }
    let j = i;
    while (markdown.charCodeAt(j) === 96) j++;
    runs.push([i, j - i]);
    i = j;
  }
  const next: number[] = new Array(runs.length).fill(-1);
  const seen = new Map<number, number>();
  for (let k = runs.length - 1; k >= 0; k--) {
    next[k] = seen.get(runs[k]![1]) ?? -1;
    seen.set(runs[k]![1], k);
  }
  const out: Array<[number, number]> = [];
  for (let k = 0; k < runs.length; ) {
    const close = next[k]!;
    if (close < 0) {
      k++;
      continue;
    }
    out.push([runs[k]![0], runs[close]![0] + runs[close]![1]]);
    k = close + 1;
  }
  return out;
}

/** The text with what its code spans hold blanked out, offsets kept: the words it says, not the values it quotes. */
export function withoutCode(markdown: string): string {
  const spans = codeSpans(markdown);
  if (!spans.length) return markdown;
  let out = "";
  let at = 0;
  for (const [start, end] of spans) {
    out += markdown.slice(at, start) + " ".repeat(end - start);
    at = end;
  }
  return out + markdown.slice(at);
}

/** Inline HTML comments (`<!-- ... -->`, closed) blanked out, offsets kept; an unclosed `<!--` is text. Linear. */
export function withoutInlineComments(markdown: string): string {
  let out = "";
  let at = 0;
  for (;;) {
    const open = markdown.indexOf("<!--", at);
    if (open < 0) return at ? out + markdown.slice(at) : markdown;
    const close = markdown.indexOf("-->", open + 4);
    if (close < 0) return out + markdown.slice(at);
    out += markdown.slice(at, open) + markdown.slice(open, close + 3).replace(/[^\n]/g, " ");
    at = close + 3;
  }
}

/** Markdown's inline syntax dropped (emphasis, code spans, links, tags, comments): the sentence as people read it. Linear in its length. */
export function plainText(markdown: string): string {
  return withoutInlineComments(markdown)
    .replace(/\]\([^)\s]{0,2000}(?:\s+"[^"\n]{0,200}")?\)/g, "") // link targets; the link text stays
    .replace(/<\/?[A-Za-z][^<>\n]{0,200}>/g, "") // inline tags (<br>, <Warning>)
    .replace(/[[\]`]|\*\*|__|!(?=\[)/g, "")
    .replace(/(^|[\s("'])[*_]+(?=\S)|(?<=\S)[*_]+(?=$|[\s).,;:!?"'])/g, "$1") // *emphasis*, _emphasis_ (snake_case stays)
    .replace(/\s+/g, " ")
    .trim();
}
