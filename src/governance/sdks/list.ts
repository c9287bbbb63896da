import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmTableFromMarkdown } from "mdast-util-gfm-table";
import { gfmTable } from "micromark-extension-gfm-table";
import type { SdkEntry, SdkRules } from "../../rules/sdks.js";

/**
 * The SDKs: read from the documentation's table (`sdks.file`: a row per SDK
 * with a link to its GitHub repository and a `Tier N` badge, as
 * `docs/docs/draft/sdk.mdx` writes them), and from the rules' own list.
 */

export interface Sdk {
  /** `owner/name`, as written. */
  repo: string;
  /** "TypeScript". */
  name: string;
  tier: number | null;
}

interface Node {
  type: string;
  url?: string;
  value?: string;
  children?: Node[];
}

/** A link to a GitHub repository as people write them: `http(s)://`, `www.`, `.git`, a branch or file in it, `#readme`. */
const REPO_LINK = /^(?:https?:\/\/)?(?:www\.)?github\.com\/([\w.-]+\/[\w.-]+?)(?:\.git)?(?:\/(?:tree|blob)\/[^?#]*)?\/?(?:[?#].*)?$/i;
const TIER = /Tier(?:&nbsp;|\s|\u00a0)*(\d)\b/i;

/** Every table row of a markdown file that links to a GitHub repository, with its tier and its name. */
export function parseSdkTable(markdown: string): Sdk[] {
  const tree = fromMarkdown(markdown.slice(0, 1_000_000), { extensions: [gfmTable()], mdastExtensions: [gfmTableFromMarkdown()] }) as Node;
  const out: Sdk[] = [];
  const tables: Node[] = [];
  const stack = [tree];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.type === "table") tables.push(node);
    else stack.push(...(node.children ?? []));
  }
  for (const table of tables.reverse()) {
    for (const row of (table.children ?? []).slice(1)) {
      const cells = (row.children ?? []).map(flatten);
      const repo = cells.flatMap((c) => c.links).map((url) => REPO_LINK.exec(url)?.[1]).find(Boolean);
      if (!repo) continue;
      const tier = cells.map((c) => TIER.exec(c.html + c.text)?.[1]).find(Boolean);
      // The first cell names it ("TypeScript", linked to its site or not); else the repository's name.
      const name = cells[0]?.text.replace(/&nbsp;|\u00a0/g, " ").trim() || repo.split("/")[1]!;
      out.push({ repo, name, tier: tier ? Number(tier) : null });
    }
  }
  return out;
}

/** A cell's text (without HTML), the links in it, and its HTML (where the tier badge is). */
function flatten(cell: Node): { text: string; links: string[]; html: string } {
  const out = { text: "", links: [] as string[], html: "" };
  const walk = (node: Node) => {
    if (node.type === "link" && node.url) out.links.push(node.url);
    if (node.type === "text" || node.type === "inlineCode") out.text += node.value ?? "";
    if (node.type === "html") out.html += node.value ?? "";
    for (const child of node.children ?? []) walk(child);
  };
  walk(cell);
  // A link's text counts as the cell's text; a table of `[name](site)` cells reads "TypeScript".
  out.text = out.text.replace(/\s+/g, " ").trim();
  return out;
}

/**
 * The SDKs the rules know: the file's (when read; a repository in two tables
 * keeps its first row, the main table's), then the rules' list over them
 * (same repository: the list wins).
 */
export function sdksOf(rules: SdkRules, fileText: string | null): Sdk[] {
  const byRepo = new Map<string, Sdk>();
  for (const sdk of fileText ? parseSdkTable(fileText) : []) if (!byRepo.has(sdk.repo.toLowerCase())) byRepo.set(sdk.repo.toLowerCase(), sdk);
  for (const entry of rules.list) byRepo.set(entry.repo.toLowerCase(), fromEntry(entry));
  return [...byRepo.values()];
}

function fromEntry(entry: SdkEntry): Sdk {
  return { repo: entry.repo, name: entry.name, tier: entry.tier };
}

/**
 * The SDK a person means: `go-sdk`, `modelcontextprotocol/go-sdk` or `Go`
 * (case-insensitive); with `by: "repository"`, only a repository's name
 * counts (a language's name may be a word of a sentence).
 */
export function sdkNamed(sdks: readonly Sdk[], word: string, by: "any" | "repository" = "any"): Sdk | null {
  const w = word.trim().replace(/[.,;:]$/, "").toLowerCase();
  return sdks.find((s) => s.repo.toLowerCase() === w || s.repo.split("/")[1]!.toLowerCase() === w || (by === "any" && s.name.toLowerCase() === w)) ?? null;
}
