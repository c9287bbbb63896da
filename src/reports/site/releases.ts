import type { Rules } from "../../rules/schema.js";
import { loginKey } from "../../shared/logins.js";
import { implementationsOf, releasesOf, sdkMaintainers, sdkTitle, selectedSdks, stateIn, type Implementation } from "../sweep/releases.js";
import type { SweepPull, SweepRead } from "../sweep/due.js";
import type { SiteImplementation, SiteNeed, SiteRelease, SiteSep } from "./model.js";

/**
 * The release view's data (reports/sweep/releases.ts says where it comes
 * from): each tracked SEP's implementation, each release with its dates and
 * what each SDK still owes, and each SDK maintainer's part of it for their
 * view. Links are built from the repository's address, so a GitHub
 * Enterprise site links to its own host.
 */

export interface SiteReleases {
  /** By SEP number: only SEPs the site lists. */
  implementations: Map<number, SiteImplementation>;
  releases: SiteRelease[];
  /** Everyone who maintains an SDK the rules select or a release names (lowercase logins). */
  maintainers: Set<string>;
  /** What each SDK's maintainers owe, one item per maintainer and SEP. */
  needs: Array<{ login: string; need: SiteNeed }>;
}

export function siteReleases(read: SweepRead, rules: Rules, seps: readonly SiteSep[], repoUrl: string, numberOf: (pull: SweepPull) => number, shown: (login: string) => string): SiteReleases {
  const bySep = new Map(seps.map((s) => [s.number, s]));
  // An umbrella for a SEP the site does not list (no file, no pull request) has nothing to stand beside.
  const impls = implementationsOf(read, rules, numberOf).filter((i) => bySep.has(i.sep));
  const host = new URL(repoUrl).origin;
  const issueUrl = (repo: string, number: number) => `${host}/${repo}/issues/${number}`;
  const implementations = new Map(impls.map((i) => [i.sep, siteImplementation(i, repoUrl, issueUrl)]));

  const maintainersOf = new Map<string, string[]>();
  const maintainers = (sdk: { repo: string; name: string }) => {
    const key = sdk.repo.toLowerCase();
    if (!maintainersOf.has(key)) maintainersOf.set(key, sdkMaintainers(read, rules, sdk));
    return maintainersOf.get(key)!;
  };
  const releases = releasesOf(impls, read, rules).map(
    (r): SiteRelease => ({
      ...r,
      sdks: r.sdks.map((s) => ({ repo: s.repo, name: s.name, tier: s.tier, url: `${host}/${s.repo}`, deadline: s.deadline, maintainers: maintainers(s).map(shown), owes: s.owes })),
    }),
  );
  for (const sdk of selectedSdks(read, rules)) maintainers(sdk);

  // Each maintainer's SEPs: one item per SEP, naming each of their SDKs that owes it (someone may keep two SDKs).
  const byImpl = new Map(impls.map((i) => [i.sep, i]));
  const owed = new Map<string, { login: string; sep: number; release: string | null; due: string | null; sdks: string[] }>();
  for (const r of releases) {
    for (const sdk of r.sdks) {
      for (const sep of sdk.owes) {
        const impl = byImpl.get(sep)!;
        const line = impl.sdks.find((l) => l.repo.toLowerCase() === sdk.repo.toLowerCase());
        const state = stateIn(impl, sdk.repo);
        const where = line?.number ? `${sdk.repo}#${line.number}` : state === "no-access" ? `${sdk.repo}: not filed, sep-bot has no access there` : `${sdk.repo}: no issue filed yet`;
        for (const login of sdk.maintainers) {
          const key = `${loginKey(login)}#${sep}`;
          const item = owed.get(key) ?? { login, sep, release: r.version, due: null, sdks: [] };
          item.sdks.push(`the ${sdkTitle(sdk)} (${where})`);
          if (sdk.deadline && (item.due === null || sdk.deadline < item.due)) item.due = sdk.deadline;
          owed.set(key, item);
        }
      }
    }
  }
  const needs = [...owed.values()].map(({ login, sep, release, due, sdks }) => ({
    login,
    need: {
      sep,
      step: `Implement it in ${sdks.join(" and ")}${release ? ` for the ${release} release` : ""}.`,
      // Theirs since its tracking was asked for (a list read from an umbrella alone does not say).
      since: byImpl.get(sep)!.since,
      kind: "sdk" as const,
      due,
    },
  }));
  return { implementations, releases, maintainers: new Set([...maintainersOf.values()].flat().map(loginKey)), needs };
}

function siteImplementation(impl: Implementation, repoUrl: string, issueUrl: (repo: string, number: number) => string): SiteImplementation {
  return {
    release: impl.release,
    umbrella: impl.umbrella ? { number: impl.umbrella.number, url: impl.umbrella.url ?? `${repoUrl}/issues/${impl.umbrella.number}`, open: impl.umbrella.open } : null,
    none: impl.none,
    done: impl.done,
    sdks: impl.sdks.map((s) => ({ repo: s.repo, state: s.state, issue: s.number ? { number: s.number, url: issueUrl(s.repo, s.number) } : null })),
  };
}
