import { fromMarkdown } from "mdast-util-from-markdown";

/**
 * A title as people read it: the markdown it is written in (`\_meta`,
 * `` `tools/call` ``, **bold**, [links](...)) read with the CommonMark parser
 * sep-bot already uses for comments, and kept as its text. A title that does
 * not read as one line of text (a list, a heading) is kept as written.
 */

/** Characters that can start inline markup; a title without any is text already. */
const MARKUP = /[\\`*_[\]<&!~]/;
/** Titles are a line; a longer value (a hostile file) is cut before it is parsed. */
const MAX = 1000;

interface MdNode {
  type: string;
  value?: string;
  alt?: string | null;
  children?: MdNode[];
}

export function plainTitle(text: string): string {
  const line = text.slice(0, MAX).replace(/\s+/g, " ").trim();
  if (!MARKUP.test(line)) return line;
  const tree = fromMarkdown(line) as MdNode;
  const only = tree.children?.length === 1 ? tree.children[0]! : null;
  if (only?.type !== "paragraph") return line;
  return textOf(only).replace(/\s+/g, " ").trim() || line;
}

function textOf(node: MdNode): string {
  if (node.type === "image") return node.alt ?? "";
  if (node.type === "break") return " ";
  if (typeof node.value === "string") return node.value; // text, inline code, raw HTML as written
  return (node.children ?? []).map(textOf).join("");
}
