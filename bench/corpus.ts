/**
 * A deterministic corpus of realistic SEP markdown for `npm run bench`.
 *
 * 1,000 files, ~25 MB in total, sizes log-normal with a long tail (a few
 * files at 400-500 KB), built from what real SEPs contain: the bullet
 * preamble, every template section, prose (one-line and wrapped), nested
 * lists, `###`/`####` subsections, fenced code (json, ts, bash, markdown
 * examples that contain `## fake headings`), tables, block quotes, HTML
 * comments, `<details>` blocks and the occasional setext heading. Every
 * 20th file is a copy of a real SEP from the shared fixtures.
 *
 * The corpus lives in `bench/.corpus/` (gitignored) and is rewritten only
 * when it is missing or `GENERATOR_VERSION`/the parameters changed.
 *
 * Run directly (`npx tsx bench/corpus.ts [--force]`) to (re)generate it.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** Bump whenever the output changes, so stale corpora are regenerated. */
export const GENERATOR_VERSION = 4;

export const CORPUS_DIR = fileURLToPath(new URL("./.corpus/", import.meta.url));
export const REAL_SEPS_DIR = new URL("../test/fixtures/real-seps", import.meta.url).pathname;

export interface CorpusOptions {
  dir?: string;
  files?: number;
  totalBytes?: number;
  seed?: number;
  /** Copy a real SEP into every `realEvery`-th slot (0: none). */
  realEvery?: number;
  realDir?: string;
}

export interface CorpusInfo {
  dir: string;
  files: string[]; // absolute paths, sorted like `expandPaths` sorts them
  totalBytes: number;
  largestBytes: number;
  realCopies: number;
  generated: boolean; // false when an up-to-date corpus was reused
}

const MB = 1024 * 1024;
const DEFAULTS = {
  files: 1000,
  totalBytes: 25 * MB,
  seed: 0x5eb0,
  realEvery: 20,
};

// ---------------------------------------------------------------------------
// Seeded PRNG (mulberry32) and helpers

export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  /** Standard normal (Box-Muller). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}

// ---------------------------------------------------------------------------
// Vocabulary

const WORDS = (
  "the a an of to and in for on with by from as that this these those is are be been was were will should must may can " +
  "server client host request response notification session transport stream message payload schema field capability " +
  "tool tools resource resources prompt prompts sampling elicitation roots task tasks progress cancellation timeout " +
  "protocol specification implementation extension version negotiation handshake initialize lifecycle state stateless " +
  "authorization authentication token scope consent user model agent context window result error code retry backoff " +
  "JSON-RPC HTTP SSE WebSocket stdio OAuth metadata registry discovery endpoint URI identifier cursor pagination " +
  "behaviour behavior requirement compatibility migration deprecation proposal maintainers sponsor community review " +
  "existing current new proposed optional required additional separate single multiple explicit implicit long-running " +
  "operation operations support supports handle handles define defines describe describes allow allows require requires " +
  "ensure ensures expose exposes return returns send sends receive receives process processes validate validates"
).split(" ");
const NON_ASCII = ["—", "–", "é", "ü", "→", "≥", "…", "✓", "日本", "ñ", "🙂"];
const METHODS = ["tools/call", "tools/list", "resources/read", "prompts/get", "sampling/createMessage", "tasks/get", "tasks/result", "notifications/progress", "initialize", "elicitation/create"];
const FIRST = ["Ada", "Grace", "Linus", "Barbara", "Ken", "Margaret", "Dennis", "Radia", "Guido", "Frances", "Tim", "Hedy", "Alan", "Edsger", "Leslie", "Sophie", "Yukihiro", "Anders", "Rob", "Niklaus"];
const LAST = ["Lovelace", "Hopper", "Torvalds", "Liskov", "Thompson", "Hamilton", "Ritchie", "Perlman", "van Rossum", "Allen", "Berners-Lee", "Lamarr", "Kay", "Dijkstra", "Lamport", "Wilson", "Matsumoto", "Hejlsberg", "Pike", "Wirth"];
const STATUSES = ["Draft", "Draft", "Draft", "In-Review", "Accepted", "Final", "Final", "Rejected", "Withdrawn", "Dormant", "draft", "In Review"];
const TYPES = ["Standards Track", "Standards Track", "Standards Track", "Informational", "Process", "Extensions Track"];
const SUB_TITLES = ["Overview", "Message Format", "Capability Negotiation", "Error Handling", "State Machine", "Wire Format", "Examples", "Lifecycle", "Limits", "Transport Bindings", "Schema Changes", "Client Behavior", "Server Behavior", "Security Model", "Open Design Points"];

type SectionSpec = { title: string; weight: number; optional?: boolean };
const SECTIONS: SectionSpec[] = [
  { title: "Abstract", weight: 0.03 },
  { title: "Motivation", weight: 0.1 },
  { title: "Specification", weight: 0.45 },
  { title: "Rationale", weight: 0.1 },
  { title: "Backward Compatibility", weight: 0.05 },
  { title: "Security Implications", weight: 0.07 },
  { title: "Reference Implementation", weight: 0.05 },
  { title: "Performance Implications", weight: 0.03, optional: true },
  { title: "Testing Plan", weight: 0.03, optional: true },
  { title: "Alternatives Considered", weight: 0.05, optional: true },
  { title: "Open Questions", weight: 0.03, optional: true },
  { title: "Acknowledgments", weight: 0.01, optional: true },
];

// ---------------------------------------------------------------------------
// Markdown pieces

class Doc {
  readonly parts: string[] = [];
  bytes = 0;
  push(text: string): void {
    this.parts.push(text);
    this.bytes += Buffer.byteLength(text, "utf8");
  }
  block(text: string): void {
    this.push(text.endsWith("\n") ? `${text}\n` : `${text}\n\n`);
  }
  toString(): string {
    return this.parts.join("");
  }
}

function words(rng: Rng, n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = rng.next();
    if (r < 0.03) out.push(`\`${rng.pick(METHODS)}\``);
    else if (r < 0.045) out.push(`**${rng.pick(WORDS)}**`);
    else if (r < 0.055) out.push(`_${rng.pick(WORDS)}_`);
    else if (r < 0.063) out.push(`[${rng.pick(WORDS)} ${rng.pick(WORDS)}](https://modelcontextprotocol.io/specification/${rng.pick(WORDS).toLowerCase()})`);
    else if (r < 0.066) out.push(rng.pick(NON_ASCII));
    else if (r < 0.07) out.push(`#${rng.int(100, 2999)}`);
    else out.push(rng.pick(WORDS));
  }
  return out.join(" ");
}

function sentence(rng: Rng): string {
  const s = words(rng, rng.int(6, 24));
  return s.charAt(0).toUpperCase() + s.slice(1) + rng.pick([".", ".", ".", ".", "?", ":", ";"]).replace(/[:;]/, ".");
}

function wrap(text: string, width: number, indent = ""): string {
  const out: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = indent + word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out.join("\n");
}

interface Style {
  wrap: number; // 0: one line per paragraph
  bullet: string;
  listIndent: number; // 2 or 4
}

function paragraph(rng: Rng, style: Style, indent = ""): string {
  const sentences: string[] = [];
  const n = rng.int(2, 7);
  for (let i = 0; i < n; i++) sentences.push(sentence(rng));
  const text = sentences.join(" ");
  return indent + (style.wrap ? wrap(text, style.wrap, indent) : text);
}

function list(rng: Rng, style: Style, depth = 0, indent = ""): string {
  const lines: string[] = [];
  const ordered = rng.chance(0.25);
  const items = rng.int(2, depth === 0 ? 7 : 4);
  for (let i = 0; i < items; i++) {
    const marker = ordered ? `${i + 1}.` : style.bullet;
    const pad = " ".repeat(marker.length + 1);
    const lead = rng.chance(0.3) ? `**${words(rng, rng.int(1, 3))}**: ` : "";
    const text = lead + words(rng, rng.int(4, 30));
    lines.push(`${indent}${marker} ${style.wrap ? wrap(text, style.wrap, indent + pad) : text}`);
    if (depth < 3 && rng.chance(0.25)) lines.push(list(rng, style, depth + 1, indent + " ".repeat(ordered ? 3 : style.listIndent)));
    else if (rng.chance(0.08)) lines.push("", `${indent}${pad}${words(rng, rng.int(8, 30))}`, "");
    else if (rng.chance(0.04)) lines.push("", indent + pad + "```json", ...json(rng, 1).split("\n").map((l) => indent + pad + l), indent + pad + "```", "");
  }
  return lines.join("\n");
}

function json(rng: Rng, depth: number, pad = ""): string {
  const keys = rng.int(2, 6);
  const lines = ["{"];
  for (let i = 0; i < keys; i++) {
    const key = rng.pick(WORDS).replace(/[^A-Za-z]/g, "") || "id";
    const comma = i < keys - 1 ? "," : "";
    const r = rng.next();
    let value: string;
    if (depth < 3 && r < 0.25) value = json(rng, depth + 1, `${pad}  `);
    else if (r < 0.4) value = `[${Array.from({ length: rng.int(1, 4) }, () => `"${rng.pick(WORDS)}"`).join(", ")}]`;
    else if (r < 0.55) value = String(rng.int(0, 100000));
    else if (r < 0.6) value = rng.pick(["true", "false", "null"]);
    else value = `"${words(rng, rng.int(1, 6)).replace(/["\\`]/g, "")}"`;
    lines.push(`${pad}  "${key}": ${value}${comma}`);
  }
  lines.push(`${pad}}`);
  return lines.join("\n");
}

function typescript(rng: Rng): string {
  const name = rng.pick(["Task", "Request", "Result", "Capability", "Session", "Notification", "Params"]) + rng.int(1, 99);
  const lines = [`export interface ${name} {`];
  for (let i = rng.int(3, 12); i > 0; i--) {
    if (rng.chance(0.3)) lines.push(`  /**`, `   * ${words(rng, rng.int(5, 15))}`, `   */`);
    const field = rng.pick(WORDS).replace(/[^A-Za-z]/g, "") || "value";
    lines.push(`  ${field}${rng.chance(0.3) ? "?" : ""}: ${rng.pick(["string", "number", "boolean", "string[]", "{ [key: string]: unknown }", `"${rng.pick(WORDS)}" | "${rng.pick(WORDS)}"`])};`);
  }
  lines.push("}");
  if (rng.chance(0.4)) lines.push("", `function handle(request: ${name}): Promise<void> {`, `  // ${words(rng, 8)}`, "  return Promise.resolve();", "}");
  return lines.join("\n");
}

/** A markdown example inside a fence: its headings and fields must not count. */
function markdownExample(rng: Rng): string {
  return [
    `# SEP-${rng.int(1, 999)}: ${words(rng, 3)}`,
    "",
    "- **Status**: Draft",
    "- **Type**: Standards Track",
    "",
    `## ${rng.pick(["Abstract", "Motivation", "Specification", "Rationale"])}`,
    "",
    words(rng, 20),
    "",
    `## ${rng.pick(SUB_TITLES)}`,
    "",
    `- ${words(rng, 6)}`,
  ].join("\n");
}

function codeBlock(rng: Rng): string {
  const r = rng.next();
  let lang: string;
  let body: string;
  if (r < 0.4) [lang, body] = ["json", json(rng, 0)];
  else if (r < 0.65) [lang, body] = [rng.pick(["ts", "typescript"]), typescript(rng)];
  else if (r < 0.8) [lang, body] = ["markdown", markdownExample(rng)];
  else if (r < 0.92) [lang, body] = ["bash", Array.from({ length: rng.int(1, 6) }, () => `npx @modelcontextprotocol/${rng.pick(WORDS)} --${rng.pick(WORDS)} ${rng.int(1, 9)}`).join("\n")];
  else [lang, body] = ["", Array.from({ length: rng.int(2, 8) }, () => `${rng.pick(["Client", "Server", "Host"])} -> ${rng.pick(["Client", "Server"])}: ${rng.pick(METHODS)}`).join("\n")];
  // A markdown example that itself contains ``` needs a longer or different fence.
  const fence = lang === "markdown" ? rng.pick(["````", "~~~"]) : rng.chance(0.1) ? "~~~" : "```";
  return `${fence}${lang}\n${body}\n${fence}`;
}

function table(rng: Rng): string {
  const cols = rng.int(2, 5);
  const header = Array.from({ length: cols }, () => words(rng, rng.int(1, 2)).replace(/\|/g, ""));
  const rows = [`| ${header.join(" | ")} |`, `| ${header.map(() => rng.pick(["---", ":---", "---:", ":---:"])).join(" | ")} |`];
  for (let i = rng.int(2, 14); i > 0; i--) {
    rows.push(`| ${Array.from({ length: cols }, () => words(rng, rng.int(1, 8)).replace(/\|/g, "")).join(" | ")} |`);
  }
  return rows.join("\n");
}

function quote(rng: Rng, style: Style): string {
  const lead = rng.pick(["> **Note**: ", "> **Warning**: ", "> ", "> [!NOTE]\n> "]);
  const text = `${lead}${paragraph(rng, { ...style, wrap: style.wrap ? style.wrap - 2 : 0 })}`.replace(/\n(?!>)/g, "\n> ");
  return rng.chance(0.15) ? `${text}\n>\n> > ${sentence(rng)}` : text;
}

function comment(rng: Rng): string {
  return rng.chance(0.5) ? `<!-- ${words(rng, rng.int(3, 12))} -->` : `<!--\n${words(rng, rng.int(5, 15))}\n## not a heading inside a comment\n-->`;
}

function details(rng: Rng, style: Style): string {
  return `<details>\n<summary>${words(rng, 3)}</summary>\n\n${paragraph(rng, style)}\n\n${codeBlock(rng)}\n\n</details>`;
}

function block(rng: Rng, style: Style): string {
  const r = rng.next();
  if (r < 0.46) return paragraph(rng, style);
  if (r < 0.64) return list(rng, style);
  if (r < 0.78) return codeBlock(rng);
  if (r < 0.84) return table(rng);
  if (r < 0.89) return quote(rng, style);
  if (r < 0.92) return comment(rng);
  if (r < 0.935) return details(rng, style);
  if (r < 0.95) return "---"; // thematic break after a blank line
  if (r < 0.97) return `    ${words(rng, 6)}\n    ${words(rng, 4)}`; // indented code
  return `${sentence(rng)}\n${words(rng, 10)}`; // two-line paragraph
}

// ---------------------------------------------------------------------------
// One SEP

function person(rng: Rng): string {
  const first = rng.pick(FIRST);
  const last = rng.pick(LAST);
  const handle = `${first}${last}`.toLowerCase().replace(/[^a-z]/g, "").slice(0, 20);
  const r = rng.next();
  if (r < 0.75) return `${first} ${last} (@${handle})`;
  if (r < 0.9) return `${first} ${last} <${handle}@example.com> (@${handle})`;
  return `${first} ${last}`; // no handle: a realistic finding
}

function slugOf(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 50)
    .replace(/-+$/, "");
}

export function generateSep(rng: Rng, number: number, targetBytes: number): { slug: string; text: string } {
  const title = words(rng, rng.int(2, 6)).replace(/[`*_[\]()#:/]|https?\S*/g, "").replace(/\s+/g, " ").trim() || "Proposal";
  const style: Style = {
    wrap: rng.chance(0.5) ? rng.int(72, 100) : 0,
    bullet: rng.pick(["-", "-", "-", "*"]),
    listIndent: rng.chance(0.7) ? 2 : 4,
  };
  const doc = new Doc();
  const status = rng.pick(STATUSES);
  const type = rng.pick(TYPES);
  const created = `20${rng.int(24, 25)}-${String(rng.int(1, 12)).padStart(2, "0")}-${String(rng.int(1, 28)).padStart(2, "0")}`;
  const authors = Array.from({ length: rng.int(1, 4) }, () => person(rng)).join(", ");
  const sponsor = status === "Draft" && rng.chance(0.5) ? "None" : person(rng);
  const pr = `https://github.com/modelcontextprotocol/modelcontextprotocol/pull/${number}`;
  const fields: Array<[string, string]> = [
    ["Status", status],
    ["Type", type],
    ["Created", created],
    ...(status === "Accepted" || status === "Final" ? [["Accepted", `${created}, ${rng.int(5, 9)} Yes, 0 No`] as [string, string]] : []),
    ["Author(s)", authors],
    ["Sponsor", sponsor],
    ["PR", pr],
  ];

  const preamble = rng.next();
  if (preamble < 0.03) {
    // YAML front matter instead of a bullet preamble.
    doc.push(`---\ntitle: "${title}"\nsep: ${number}\n${fields.map(([k, v]) => `${k === "Author(s)" ? "authors" : k.toLowerCase()}: "${v.replace(/"/g, "'")}"`).join("\n")}\n---\n\n`);
    doc.block(`# SEP-${number}: ${title}`);
  } else {
    doc.block(`# SEP-${number}: ${title}`);
    if (rng.chance(0.05)) doc.block(`> **Note**: ${sentence(rng)}`);
    if (preamble < 0.08) {
      doc.block(["| Field | Value |", "| --- | --- |", ...fields.map(([k, v]) => `| ${k} | ${v} |`)].join("\n"));
    } else if (preamble < 0.12) {
      doc.block(fields.map(([k, v]) => `**${k}:** ${v}  `).join("\n"));
    } else {
      doc.block(fields.map(([k, v]) => `${style.bullet} **${k}**: ${v}`).join("\n"));
    }
  }

  const sections = SECTIONS.filter((s) => !s.optional || (targetBytes > 8_000 && (rng.chance(0.5) || targetBytes > 150_000)));
  const totalWeight = sections.reduce((sum, s) => sum + s.weight, 0);
  const bodyBudget = Math.max(0, targetBytes - doc.bytes);
  let planned = doc.bytes;
  sections.forEach((section, index) => {
    // Setext headings now and then, as some authors write them.
    if (section.optional && rng.chance(0.15)) doc.block(`${section.title}\n${"-".repeat(section.title.length)}`);
    else doc.block(`## ${section.title}`);
    // Each section's end is planned from the file's start, so overshoot in one is taken from the next.
    planned += (bodyBudget * section.weight) / totalWeight;
    const until = index === sections.length - 1 ? targetBytes : planned;
    const big = section.title === "Specification" || section.title === "Motivation" || section.title === "Rationale";
    let sub = 0;
    let first = true;
    for (;;) {
      const remaining = until - doc.bytes;
      if (remaining <= 0 && !first) break;
      if (big && remaining > 4_000 && rng.chance(0.06)) {
        sub++;
        const depth = rng.chance(0.75) ? 3 : 4;
        doc.block(`${"#".repeat(depth)} ${rng.chance(0.5) ? `${sub}. ` : ""}${rng.pick(SUB_TITLES)}`);
      }
      let next = block(rng, style);
      if (Buffer.byteLength(next, "utf8") > remaining) {
        // Too big for what is left: a sentence instead, or stop (every section gets one).
        next = sentence(rng);
        if (!first && Buffer.byteLength(next, "utf8") > remaining) break;
      }
      doc.block(next);
      first = false;
    }
  });
  return { slug: slugOf(title) || "proposal", text: doc.toString() };
}

// ---------------------------------------------------------------------------
// Sizes

/** Log-normal sizes scaled to the total, a handful forced into 400-500 KB. */
export function drawSizes(rng: Rng, count: number, total: number, fixed: number): number[] {
  const HUGE = [500, 480, 460, 440, 420, 405].map((kb) => kb * 1024);
  const huge = HUGE.slice(0, Math.min(HUGE.length, Math.floor(count / 100)));
  const rest = count - huge.length;
  const budget = total - fixed - huge.reduce((a, b) => a + b, 0);
  const raw = Array.from({ length: rest }, () => Math.exp(rng.normal() * 1.05));
  const MIN = 3 * 1024;
  const MAX = 380 * 1024;
  let sizes = raw;
  // Scale, clamp, rescale: converges in a few rounds.
  for (let round = 0; round < 20; round++) {
    const sum = sizes.reduce((a, b) => a + b, 0);
    const factor = budget / sum;
    sizes = sizes.map((s) => Math.min(MAX, Math.max(MIN, s * factor)));
    if (Math.abs(factor - 1) < 0.001) break;
  }
  const all = [...sizes.map(Math.round), ...huge];
  // Shuffle so the huge files are not all at the end of the directory.
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return all;
}

// ---------------------------------------------------------------------------
// The corpus on disk

function realSeps(dir: string): Array<{ name: string; text: string }> {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => /\.md$/i.test(n) && n.toLowerCase() !== "readme.md")
    .sort()
    .map((name) => ({ name, text: readFileSync(join(dir, name), "utf8") }));
}

function stamp(opts: Required<CorpusOptions>): string {
  const { dir: _dir, ...params } = opts;
  return JSON.stringify({ version: GENERATOR_VERSION, ...params });
}

function listCorpus(dir: string, realCopies: number): CorpusInfo {
  const names = readdirSync(dir)
    .filter((n) => n.endsWith(".md"))
    .sort();
  let totalBytes = 0;
  let largestBytes = 0;
  const files = names.map((n) => {
    const size = statSync(join(dir, n)).size;
    totalBytes += size;
    largestBytes = Math.max(largestBytes, size);
    return join(dir, n);
  });
  return { dir, files, totalBytes, largestBytes, realCopies, generated: false };
}

/** Makes sure an up-to-date corpus exists; generates it if not. */
export function ensureCorpus(options: CorpusOptions & { force?: boolean } = {}): CorpusInfo {
  const opts: Required<CorpusOptions> = {
    dir: options.dir ?? CORPUS_DIR,
    files: options.files ?? DEFAULTS.files,
    totalBytes: options.totalBytes ?? DEFAULTS.totalBytes,
    seed: options.seed ?? DEFAULTS.seed,
    realEvery: options.realEvery ?? DEFAULTS.realEvery,
    realDir: options.realDir ?? REAL_SEPS_DIR,
  };
  const stampFile = join(opts.dir, ".generator");
  const want = stamp(opts);
  if (!options.force && existsSync(stampFile) && readFileSync(stampFile, "utf8") === want) {
    const info = listCorpus(opts.dir, realSlots(opts, realSeps(opts.realDir).length).length);
    if (info.files.length === opts.files) return info;
  }
  return generateCorpus(opts, stampFile, want);
}

/** Indexes of the files that are copies of real SEPs: every `realEvery`-th. */
function realSlots(opts: Required<CorpusOptions>, realCount: number): number[] {
  if (realCount === 0 || opts.realEvery <= 0) return [];
  const slots: number[] = [];
  for (let i = opts.realEvery - 1; i < opts.files; i += opts.realEvery) slots.push(i);
  return slots;
}

function generateCorpus(opts: Required<CorpusOptions>, stampFile: string, want: string): CorpusInfo {
  rmSync(opts.dir, { recursive: true, force: true });
  mkdirSync(opts.dir, { recursive: true });
  const rng = new Rng(opts.seed);
  const real = realSeps(opts.realDir);
  const slots = new Set(realSlots(opts, real.length));
  let fixed = 0;
  for (let k = 0; k < slots.size; k++) fixed += Buffer.byteLength(real[k % real.length]!.text, "utf8");
  const sizes = drawSizes(rng, opts.files - slots.size, opts.totalBytes, fixed);
  let generatedIndex = 0;
  let realIndex = 0;
  for (let i = 0; i < opts.files; i++) {
    // `<number>-<slug>.md`; numbers share a width so the directory sorts in order.
    const number = 10_000 + i;
    if (slots.has(i)) {
      // A real SEP under another number: realistic number-mismatch findings included.
      const { name, text } = real[realIndex++ % real.length]!;
      writeFileSync(join(opts.dir, `${number}-${name.replace(/^\d+-/, "")}`), text);
      continue;
    }
    const { slug, text } = generateSep(rng, number, sizes[generatedIndex++]!);
    writeFileSync(join(opts.dir, `${number}-${slug}.md`), text);
  }
  writeFileSync(stampFile, want);
  return { ...listCorpus(opts.dir, slots.size), generated: true };
}

// `npx tsx bench/corpus.ts [--force]`
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = performance.now();
  const info = ensureCorpus({ force: process.argv.includes("--force") });
  console.log(
    `${info.generated ? "generated" : "up to date"}: ${info.files.length} files, ${(info.totalBytes / MB).toFixed(1)} MB ` +
      `(largest ${(info.largestBytes / 1024).toFixed(0)} KB, ${info.realCopies} real SEP copies) in ${info.dir} ` +
      `[${((performance.now() - started) / 1000).toFixed(1)} s]`,
  );
}
