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
const BEGIN = (n: number, release: string | null) => `<!-- sep-bot:sdks sep=${n}${release ? ` release=${release}` : ""} begin: sep-bot keeps this list; write around it -->`;
const END = "<!-- sep-bot:sdks end -->";

export interface BlockLine {
  sdk: Sdk;
  tracked: TrackedSdk;
  /** Why it needs nothing, as a maintainer said. */
  skipped?: { by: string; reason: string } | null;
}

/** The list sep-bot keeps in the umbrella: one line per selected SDK, and a line when every required one is done. */
export function umbrellaBlock(sep: number, release: string | null, lines: readonly BlockLine[], done: { tiers: readonly number[] } | null, noAccessHelp: string): string {
  const out = [BEGIN(sep, release)];
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
 * kept; a body whose block was removed gets it back at the end.
 */
export function withBlock(body: string, sep: number, block: string): string {
  const begin = body.search(new RegExp(`<!-- sep-bot:sdks sep=${sep}[ >]`));
  const end = begin < 0 ? -1 : body.indexOf(END, begin);
  if (begin < 0 || end < 0) return `${body.replace(/\s*$/, "")}\n\n${block}\n`;
  return body.slice(0, begin) + block + body.slice(end + END.length);
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
  release: string | null;
  sdks: Array<{ repo: string; number: number | null; tier: number | null; state: TrackedSdk["state"] }>;
  done: boolean;
}

const BLOCK_BEGIN = /<!-- sep-bot:sdks sep=(\d{1,9})(?: release=([^\s>]{1,60}))? begin[^>]*-->/;
const LINE = /^- \[( |x)\] ([\w.-]+\/[\w.-]+)(?:#(\d{1,9}))?(?: \(Tier (\d)\))?(?:: (.*))?$/;

export function parseBlock(body: string): ParsedBlock | null {
  const begin = BLOCK_BEGIN.exec(body);
  if (!begin) return null;
  const end = body.indexOf(END, begin.index);
  const lines = body.slice(begin.index + begin[0].length, end < 0 ? undefined : end).split("\n");
  const sdks: ParsedBlock["sdks"] = [];
  for (const line of lines) {
    const m = LINE.exec(line.trim());
    if (!m) continue;
    const [, box, repo, number, tier, note = ""] = m;
    const state: TrackedSdk["state"] = note.startsWith("not needed") ? "not-needed" : note.startsWith("closed as not planned") ? "not-planned" : note.startsWith("not filed: sep-bot has no access") ? "no-access" : note.startsWith("not filed") ? "not-filed" : box === "x" ? "done" : "open";
    sdks.push({ repo: repo!, number: number ? Number(number) : null, tier: tier ? Number(tier) : null, state });
  }
  return { sep: Number(begin[1]), release: begin[2] ?? null, sdks, done: /\*\*Done\*\*: every required SDK/.test(body.slice(begin.index, end < 0 ? undefined : end)) };
}
