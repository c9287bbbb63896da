import type { SdkRules } from "../../rules/sdks.js";
import type { TrackedSdk } from "../model/record.js";
import type { Sdk } from "./list.js";

/**
 * The words of the issues sep-bot files: each SDK's ("Implement SEP-2575:
 * Make MCP Stateless"), and the umbrella in the specification repository,
 * in the shape of its work-tracking form ("Where was this agreed?",
 * "Description") with a task list of the SDK issues. sep-bot owns only the
 * list between its markers: whatever people write around it stays.
 */

export interface SepRef {
  number: number;
  title: string;
  /** The SEP's pull request. */
  url: string;
  release: string | null;
}

const fill = (template: string, sep: SepRef) =>
  template
    .replace(/\{number\}/g, String(sep.number))
    .replace(/\{title\}/g, oneLine(sep.title))
    .replace(/\{url\}/g, sep.url)
    .replace(/\{release\}/g, sep.release ?? "")
    .replace(/\{forRelease\}/g, sep.release ? ` for the ${sep.release} MCP spec release` : "");

/** A title or a line from a SEP's file: one line, no mention, capped. */
function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, " ").replace(/@/g, "@\u200b").trim().slice(0, 200);
}

export function sdkIssueText(texts: SdkRules["texts"], sep: SepRef): { title: string; body: string } {
  return { title: fill(texts.sdkTitle, sep).slice(0, 256), body: `${fill(texts.sdkBody, sep)}\n\n${SDK_MARKER(sep.number)}\n` };
}

/** The umbrella's whole body when sep-bot files it; later only its block is rewritten (`withBlock`). */
export function umbrellaText(texts: SdkRules["texts"], sep: SepRef, block: string): { title: string; body: string } {
  return {
    title: fill(texts.umbrellaTitle, sep).slice(0, 256),
    body: ["### Where was this agreed?", "", sep.url, "", "### Description", "", `Implement [SEP-${sep.number}](${sep.url}): ${oneLine(sep.title)}${sep.release ? ` for the ${sep.release} specification release` : ""}.`, "", block, ""].join("\n"),
  };
}

const SDK_MARKER = (n: number) => `<!-- sep-bot:sdk sep=${n} -->`;
/** The list's opening marker. The pull request is named when it is not the SEP's number (SEPs numbered before the rule); the release is encoded (a name may hold spaces). */
const BEGIN = (n: number, pr: number, release: string | null) =>
  `<!-- sep-bot:sdks sep=${n}${pr !== n ? ` pr=${pr}` : ""}${release ? ` release=${encodeURIComponent(release)}` : ""} begin: sep-bot keeps this list; write around it -->`;
const END = "<!-- sep-bot:sdks end -->";

export interface BlockLine {
  sdk: Sdk;
  tracked: TrackedSdk;
  /** Why it needs nothing, as a maintainer said. */
  skipped?: { by: string; reason: string } | null;
}

/** The list sep-bot keeps in the umbrella: one line per selected SDK, and a line when every required one is done. */
export function umbrellaBlock(sep: number, pr: number, release: string | null, lines: readonly BlockLine[], done: { tiers: readonly number[] } | null, noAccessHelp: string): string {
  const out = [BEGIN(sep, pr, release)];
  for (const { sdk, tracked, skipped } of lines) {
    const ref = tracked.number ? `${sdk.repo}#${tracked.number}` : sdk.repo;
    const tier = sdk.tier ? ` (Tier ${sdk.tier})` : "";
    switch (tracked.state) {
      case "done":
        out.push(`- [x] ${ref}${tier}`);
        break;
      case "open":
        out.push(`- [ ] ${ref}${tier}`);
        break;
      case "not-planned":
        out.push(`- [ ] ${ref}${tier}: closed as not planned`);
        break;
      case "not-needed":
        out.push(`- [x] ${ref}${tier}: not needed${skipped ? ` (${skipped.by.replace(/@/g, "")}: ${oneLine(skipped.reason) || "no reason given"})` : ""}`);
        break;
      case "no-access":
        out.push(`- [ ] ${ref}${tier}: not filed: sep-bot has no access (${noAccessHelp})`);
        break;
      case "not-filed":
        out.push(`- [ ] ${ref}${tier}: not filed yet`);
        break;
    }
  }
  if (done) out.push("", `**Done**: every required SDK (Tier ${done.tiers.join(", ")}) has implemented SEP-${sep}.`);
  out.push(END);
  return out.join("\n");
}

/**
 * `body` with its block replaced by `block`: people's text around it is
 * kept; a body whose block was removed gets it back at the end. A block
 * whose end marker someone deleted ends where its list does: the text
 * after it is theirs.
 */
export function withBlock(body: string, sep: number, block: string): string {
  const begin = body.search(new RegExp(`<!-- sep-bot:sdks sep=${sep}[ >]`));
  if (begin < 0) return `${body.replace(/\s*$/, "")}\n\n${block}\n`;
  const end = body.indexOf(END, begin);
  if (end >= 0) return body.slice(0, begin) + block + body.slice(end + END.length);
  return body.slice(0, begin) + block + body.slice(listEnd(body, begin));
}

/** Where a block without its end marker stops: after the marker's line, its list lines (and the Done line). */
function listEnd(body: string, begin: number): number {
  let at = body.indexOf("\n", begin);
  if (at < 0) return body.length;
  for (;;) {
    const next = body.indexOf("\n", at + 1);
    const line = body.slice(at + 1, next < 0 ? undefined : next).trim();
    if (!(LINE.test(line) || line.startsWith("**Done**: every required SDK") || (line === "" && next >= 0 && isOurs(body, next)))) return at;
    if (next < 0) return body.length;
    at = next;
  }
}

/** A blank line inside the list: the line after it is still the list's (the Done line follows one). */
function isOurs(body: string, at: number): boolean {
  const next = body.indexOf("\n", at + 1);
  const line = body.slice(at + 1, next < 0 ? undefined : next).trim();
  return line.startsWith("**Done**: every required SDK");
}

/** An issue title that names the SEP (`SEP-2575`, `SEP 2575`, `sep-2575`). */
export function namesSep(text: string, number: number): boolean {
  return new RegExp(`\\bSEP[- ]?0*${number}\\b`, "i").test(text);
}

/** The umbrella's title pattern: "(implementation): SEP-2575" as the repository writes them, or ours. */
export function isUmbrellaTitle(title: string, number: number, texts: SdkRules["texts"]): boolean {
  const prefix = texts.umbrellaTitle.split("SEP-{number}")[0]!.trim().toLowerCase();
  return namesSep(title, number) && (title.toLowerCase().startsWith(prefix) || /^\(implementation\)/i.test(title));
}

/** An umbrella's list as sep-bot wrote it: what the sweep and the site read of a SEP's implementation. */
export interface ParsedBlock {
  sep: number;
  /** The SEP's pull request (the SEP's number unless the marker names another). */
  pr: number;
  release: string | null;
  sdks: Array<{ repo: string; number: number | null; tier: number | null; state: TrackedSdk["state"] }>;
  done: boolean;
}

const BLOCK_BEGIN = /<!-- sep-bot:sdks sep=(\d{1,9})(?: pr=(\d{1,9}))?(?: release=([^\s>]{1,200}))? begin[^>]*-->/;
const LINE = /^- \[( |x)\] ([\w.-]+\/[\w.-]+)(?:#(\d{1,9}))?(?: \(Tier (\d)\))?(?:: (.*))?$/;

export function parseBlock(body: string): ParsedBlock | null {
  const begin = BLOCK_BEGIN.exec(body);
  if (!begin) return null;
  const found = body.indexOf(END, begin.index);
  const end = found >= 0 ? found : listEnd(body, begin.index);
  const lines = body.slice(begin.index + begin[0].length, end).split("\n");
  const sdks: ParsedBlock["sdks"] = [];
  for (const line of lines) {
    const m = LINE.exec(line.trim());
    if (!m) continue;
    const [, box, repo, number, tier, note = ""] = m;
    const state: TrackedSdk["state"] = note.startsWith("not needed") ? "not-needed" : note.startsWith("closed as not planned") ? "not-planned" : note.startsWith("not filed: sep-bot has no access") ? "no-access" : note.startsWith("not filed") ? "not-filed" : box === "x" ? "done" : "open";
    sdks.push({ repo: repo!, number: number ? Number(number) : null, tier: tier ? Number(tier) : null, state });
  }
  const sep = Number(begin[1]);
  return { sep, pr: begin[2] ? Number(begin[2]) : sep, release: begin[3] ? decoded(begin[3]) : null, sdks, done: /\*\*Done\*\*: every required SDK/.test(body.slice(begin.index, end)) };
}

function decoded(release: string): string {
  try {
    return decodeURIComponent(release);
  } catch {
    return release;
  }
}
