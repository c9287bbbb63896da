import { fromMarkdown, type Options } from "mdast-util-from-markdown";
import { gfmTableFromMarkdown } from "mdast-util-gfm-table";
import { gfmTable } from "micromark-extension-gfm-table";

/**
 * Markdown's blocks (paragraphs, headings, lists, quotes, tables, code, HTML)
 * with their positions, for readers that take the text of each block from
 * the source themselves (requirements.ts): micromark's inline parsing is
 * never needed there, and on hostile text it is where the time goes.
 *
 * - Emphasis, links and images, inline HTML and code spans are disabled:
 *   micromark resolves them in quadratic time on hostile runs (`<?`, `<!--`,
 *   `<!A`, `<![CDATA[`, runs of backticks of every length).
 * - Even disabled, each of their characters (`` ` `` `<` `&` `\` `*` `_` `[`
 *   `]` `!`) still ends a run of text, and micromark merges the pieces back
 *   with one `splice` per line over the whole paragraph: quadratic in a
 *   paragraph of many lines that hold one (`x*y` on 100,000 lines). So one
 *   construct takes each such character and the rest of its line as a single
 *   token no one reads: a line is at most two pieces, nothing to merge.
 *
 * Block structure is decided before any inline parsing, so none of this
 * changes which blocks there are or where they stand.
 */

type Extension = NonNullable<Options["extensions"]>[number];
type Code = number | null;
interface Effects {
  enter(type: string): unknown;
  exit(type: string): unknown;
  consume(code: Code): void;
}
type State = (code: Code) => State | undefined;

/** Line endings as micromark codes them (CR, LF, CRLF). */
const LINE_ENDING = new Set<Code>([-5, -4, -3]);

const restOfLine = {
  name: "sepBotRestOfLine",
  tokenize(effects: Effects, ok: State): State {
    const rest: State = (code) => {
      if (code === null || LINE_ENDING.has(code)) {
        effects.exit("sepBotRestOfLine");
        return ok(code);
      }
      effects.consume(code);
      return rest;
    };
    return (code) => {
      effects.enter("sepBotRestOfLine");
      effects.consume(code);
      return rest;
    };
  },
};

/** Every character that starts one of micromark's inline constructs: ! & * < [ \ ] _ ` */
const INLINE_STARTS = [33, 38, 42, 60, 91, 92, 93, 95, 96];

export const BLOCKS_ONLY: Extension[] = [
  { disable: { null: ["attention", "labelStartImage", "labelStartLink", "labelEnd", "htmlText", "codeText"] } },
  { text: Object.fromEntries(INLINE_STARTS.map((code) => [code, restOfLine])) } as unknown as Extension,
];

export interface MdNode {
  type: string;
  lang?: string | null;
  value?: string;
  children?: MdNode[];
  position?: { start: { line: number; offset?: number }; end: { line: number; offset?: number } };
}

/** The blocks of `text`, GFM tables included; inline content is not parsed (the nodes' `children` hold no phrasing worth reading). */
export function markdownBlocks(text: string): MdNode {
  return fromMarkdown(text, { extensions: [...BLOCKS_ONLY, gfmTable()], mdastExtensions: [gfmTableFromMarkdown()] }) as MdNode;
}
