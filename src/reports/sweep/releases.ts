import type { TrackedSdk, Tracking } from "../../governance/model/record.js";
import { parseMaintainersFile, sectionText } from "../../governance/people/maintainers.js";
import { sdksOf, type Sdk } from "../../governance/sdks/list.js";
import { releaseDates } from "../../governance/sdks/release.js";
import type { Rules } from "../../rules/schema.js";
import { isSepPull, type SweepPull, type SweepRead } from "./due.js";

/**
 * Implementation across the SDKs as the reports show it (the site's release
 * view and person view, the digest): each tracked SEP's state in each SDK,
 * grouped by the specification release it is for. Read from what sep-bot
 * last wrote, no request more: the status comment's memory of a SEP pull
 * request in the sweep's read (open first), else the list sep-bot keeps in
 * the SEP's umbrella issue (merged SEPs). Pure.
 *
 * An SDK of a release with no line for one of its SEPs (listed since, or a
 * tier selected since) is "not filed" there. What an SDK owes: a SEP it has
 * not implemented (its issue open, not filed yet, or not filed for want of
 * access), unless its umbrella was closed: closing it is how people end the
 * tracking of a SEP by hand, and sep-bot then stops keeping its list.
 */

export type SdkState = TrackedSdk["state"];

/** The states in which an SDK still owes the SEP. */
export const OWED: readonly SdkState[] = ["open", "not-filed", "no-access"];

export interface Implementation {
  sep: number;
  release: string | null;
  /** The umbrella issue here; `open` is true when it was not among those read (the newest 100). */
  umbrella: { number: number; url: string | null; open: boolean } | null;
  /** A maintainer said no SDK needs work for it (`/track none`). */
  none: boolean;
  /** Every required SDK has implemented it (the umbrella says so). */
  done: boolean;
  /** When its tracking was asked for (acceptance, `/track`), when known. */
  since: string | null;
  /** Its SDKs' lines, as tracked: repositories as `owner/name`. */
  sdks: Array<{ repo: string; number: number | null; state: SdkState }>;
}

/** An SDK column of a release: the SDK, the day its tier should be done by, and the SEPs it still owes. */
export interface ReleaseSdk extends Sdk {
  deadline: string | null;
  owes: number[];
}

export interface Release {
  /** The release's name (`2026-07-28`); null: the tracked SEPs with no release yet. */
  version: string | null;
  candidate: string | null;
  release: string | null;
  /** What each tier owes the release by (the rules' `sdks.deadlines`), by tier. */
  deadlines: Array<{ tier: number; date: string }>;
  /** Its SEPs, by number. */
  seps: number[];
  /** Its SDKs: the ones the rules select, then any other its SEPs' lists name; by tier, then as listed. */
  sdks: ReleaseSdk[];
}

/** `owner/name` as GitHub allows them: a line whose repository is anything else (an edited record) is dropped. */
const REPO = /^[\w.-]{1,100}\/[\w.-]{1,100}$/;

/**
 * Every tracked SEP's implementation, by number. `numberOf` gives the SEP a
 * pull request is the live state of (the site knows a pull request that moves
 * a merged SEP on); a record whose umbrella is read takes that umbrella's SEP.
 */
export function implementationsOf(read: SweepRead, rules: Rules, numberOf: (pull: SweepPull) => number = (p) => p.number): Implementation[] {
  if (!rules.sdks || !read.sdks) return [];
  const umbrellas = [...read.sdks.umbrellas].sort((a, b) => Number(b.open) - Number(a.open) || b.number - a.number);
  const out = new Map<number, Implementation>();
  // The umbrellas first (an open one before a closed one, the newest first), then the records over them.
  for (const u of umbrellas) {
    if (out.has(u.sep)) continue;
    out.set(u.sep, { sep: u.sep, release: u.release, umbrella: { number: u.number, url: u.url, open: u.open }, none: false, done: u.done, since: null, sdks: lines(u.sdks) });
  }
  const records = read.pulls.filter((p) => p.memory?.tracking && isSepPull(p, rules)).sort((a, b) => Number(a.open) - Number(b.open) || a.number - b.number);
  const fromRecord = new Set<number>();
  for (const pull of records) {
    const t = pull.memory!.tracking as Tracking;
    const u = t.umbrella ? umbrellas.find((x) => x.number === t.umbrella) : undefined;
    const sep = u?.sep ?? numberOf(pull);
    if (fromRecord.has(sep) && !pull.open) continue;
    fromRecord.add(sep);
    out.set(sep, {
      sep,
      release: t.release,
      umbrella: t.umbrella ? { number: t.umbrella, url: u?.url ?? null, open: u?.open ?? true } : null,
      none: !!t.none,
      done: !!t.done,
      since: t.requested.at,
      sdks: t.none ? [] : lines(t.sdks),
    });
  }
  return [...out.values()].sort((a, b) => a.sep - b.sep);
}

function lines(sdks: ReadonlyArray<{ repo: string; number: number | null; state: SdkState }>): Implementation["sdks"] {
  const seen = new Set<string>();
  return sdks.flatMap((s) => {
    const key = s.repo.toLowerCase();
    if (!REPO.test(s.repo) || seen.has(key)) return [];
    seen.add(key);
    return [{ repo: s.repo, number: s.number, state: s.state }];
  });
}

/** A SEP's state in an SDK: its line's, "not-needed" for every SDK after `/track none`, else "not-filed". */
export function stateIn(impl: Implementation, repo: string): SdkState {
  if (impl.none) return "not-needed";
  return impl.sdks.find((s) => s.repo.toLowerCase() === repo.toLowerCase())?.state ?? "not-filed";
}

/** The SDK still owes the SEP (and the SEP is still tracked: its umbrella is not closed). */
export function owes(impl: Implementation, repo: string): boolean {
  return impl.umbrella?.open !== false && OWED.includes(stateIn(impl, repo));
}

/** The SDKs the rules select for tracking (the list file's and the rules' own, in the tiers that get issues). */
export function selectedSdks(read: SweepRead, rules: Rules): Sdk[] {
  const sdkRules = rules.sdks;
  if (!sdkRules || !read.sdks) return [];
  return sdksOf(sdkRules, read.sdks.file).filter((s) => s.tier !== null && sdkRules.tiers.includes(s.tier));
}

/** The releases of the tracked SEPs: the newest first (by release day, else name), then the SEPs with no release yet. */
export function releasesOf(impls: readonly Implementation[], read: SweepRead, rules: Rules): Release[] {
  const sdkRules = rules.sdks;
  if (!sdkRules || !read.sdks) return [];
  const known = sdksOf(sdkRules, read.sdks.file);
  const selected = selectedSdks(read, rules);
  const groups = new Map<string | null, Implementation[]>();
  for (const impl of impls) groups.set(impl.release, [...(groups.get(impl.release) ?? []), impl]);
  const out = [...groups.entries()].map(([version, list]): Release => {
    const dates = version === null ? null : releaseDates(sdkRules, version);
    const deadlines = Object.entries(dates?.deadlines ?? {})
      .map(([tier, date]) => ({ tier: Number(tier), date }))
      .sort((a, b) => a.tier - b.tier);
    // The selected SDKs, then any other a SEP's list names (as the list file or the rules know it, else by its line).
    const columns: Sdk[] = [...selected];
    for (const impl of list) {
      for (const line of impl.sdks) {
        if (columns.some((c) => c.repo.toLowerCase() === line.repo.toLowerCase())) continue;
        const sdk = known.find((k) => k.repo.toLowerCase() === line.repo.toLowerCase());
        columns.push(sdk ?? { repo: line.repo, name: line.repo.split("/")[1]!, tier: null });
      }
    }
    const order = (s: Sdk) => s.tier ?? 10;
    const sdks = columns
      .map((sdk, i) => ({ sdk, i }))
      .sort((a, b) => order(a.sdk) - order(b.sdk) || a.i - b.i)
      .map(({ sdk }): ReleaseSdk => ({
        ...sdk,
        deadline: sdk.tier === null ? null : (dates?.deadlines[String(sdk.tier)] ?? null),
        owes: list.filter((impl) => owes(impl, sdk.repo)).map((impl) => impl.sep),
      }));
    return { version, candidate: dates?.candidate ?? null, release: dates?.release ?? null, deadlines, seps: list.map((i) => i.sep), sdks };
  });
  const key = (r: Release) => r.release ?? r.version ?? "";
  const newestFirst = (x: string, y: string) => (x < y ? 1 : x > y ? -1 : 0);
  return out.sort((a, b) => Number(a.version === null) - Number(b.version === null) || newestFirst(key(a), key(b)) || newestFirst(a.version ?? "", b.version ?? ""));
}

/** "TypeScript SDK": how the maintainers file names an SDK's subsection (a name that says SDK already is kept). */
export function sdkTitle(sdk: Pick<Sdk, "name">): string {
  return /\bSDK$/i.test(sdk.name.trim()) ? sdk.name.trim() : `${sdk.name.trim()} SDK`;
}

/**
 * Who maintains an SDK: the logins (lowercase) of its subsection ("### TypeScript SDK") within the maintainers
 * file's section the rules name (`sdks.maintainersSection`, "SDK Maintainers"); none without either.
 */
export function sdkMaintainers(read: SweepRead, rules: Rules, sdk: Pick<Sdk, "name">): string[] {
  const section = rules.sdks?.maintainersSection;
  const file = read.sdks?.maintainersFile;
  if (!section || !file) return [];
  const text = sectionText(file, section);
  return text ? parseMaintainersFile(text, [sdkTitle(sdk)]) : [];
}
