/**
 * The words of BCP 14 (RFC 2119, RFC 8174) that make a sentence a
 * requirement the conformance rule asks to trace: MUST, MUST NOT, SHOULD,
 * SHOULD NOT, SHALL, SHALL NOT, REQUIRED, RECOMMENDED and NOT RECOMMENDED.
 * MAY and OPTIONAL grant, they do not oblige: not traced. As RFC 8174 says,
 * only the capitalised words carry the meaning ("servers should" is prose).
 */

export type Keyword = "MUST" | "MUST NOT" | "SHALL" | "SHALL NOT" | "REQUIRED" | "SHOULD" | "SHOULD NOT" | "RECOMMENDED" | "NOT RECOMMENDED";
/** How strongly a keyword obliges: a row at a weaker level than its requirement traces it only in part. */
export type Level = "must" | "should";

const KEYWORDS = /\b(MUST NOT|MUST|SHALL NOT|SHALL|SHOULD NOT|SHOULD|NOT RECOMMENDED|RECOMMENDED|REQUIRED)\b/g;

export function levelOf(keyword: Keyword): Level {
  return keyword.startsWith("MUST") || keyword.startsWith("SHALL") || keyword === "REQUIRED" ? "must" : "should";
}

/** The keyword a sentence is held to: its strongest (a MUST beside a SHOULD makes a MUST), the first of that level. Null: none. */
export function keywordOf(plain: string): Keyword | null {
  let best: Keyword | null = null;
  for (const match of plain.matchAll(KEYWORDS)) {
    const keyword = match[1] as Keyword;
    if (!best || (levelOf(keyword) === "must" && levelOf(best) === "should")) best = keyword;
  }
  return best;
}

/** Markdown's inline syntax dropped (emphasis, code spans, links, tags): the sentence as people read it. Linear in its length. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/\]\([^)\s]{0,2000}(?:\s+"[^"\n]{0,200}")?\)/g, "") // link targets; the link text stays
    .replace(/<\/?[A-Za-z][^<>\n]{0,200}>/g, "") // inline tags (<br>, <Warning>)
    .replace(/[[\]`]|\*\*|__|!(?=\[)/g, "")
    .replace(/(^|[\s("'])[*_]+(?=\S)|(?<=\S)[*_]+(?=$|[\s).,;:!?"'])/g, "$1") // *emphasis*, _emphasis_ (snake_case stays)
    .replace(/\s+/g, " ")
    .trim();
}
