import { esc, link, oneLine, pageName, plural, sepRef, t, who, type Links } from "./html.js";
import type { SiteData, SiteRelease, SiteSdkState, SiteSep } from "./model.js";

/**
 * The releases section of the page: implementation across the SDKs, per
 * specification release. Its data is made in releases.ts (from what sep-bot
 * last tracked); this module only lays it out, so a change to how it reads
 * does not touch how it is shown.
 */

const SDK_STATE_WORDS: Record<SiteSdkState, string> = { done: "done", open: "open", "not-filed": "not filed", "no-access": "no access", "not-needed": "not needed", "not-planned": "closed as not planned" };

/** A release's section id: its name as an id fragment (two names alike get a number). */
function releaseAnchors(releases: readonly SiteRelease[]): string[] {
  const used = new Set<string>();
  return releases.map((r) => {
    const base = `release-${r.version === null ? "none" : pageName(r.version)}`;
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
    used.add(id);
    return id;
  });
}

/**
 * Each release: its dates, what each SDK still owes (with its tier's deadline and
 * its maintainers), and every SEP of the release against every SDK. A release
 * with nothing owed is folded away; the SEPs with no release yet come last.
 */
export function releasesSection(data: SiteData, bySep: Map<number, SiteSep>, links: Links): string[] {
  const today = data.generatedAt.slice(0, 10);
  // A cell's content in one element: a phone's card lays the label and it side by side (a grid of two columns).
  const cell = (label: string, body: string, cls = "") => `<td data-label="${label}"${cls ? ` class="${cls}"` : ""}><span>${body}</span></td>`;
  const anchors = releaseAnchors(data.releases);
  const day = (date: string) => `<time datetime="${t(date, 10)}">${t(date, 10)}</time>`;
  const one = (r: SiteRelease, id: string): string[] => {
    const name = r.version === null ? "No release yet" : `Release ${t(r.version, 60)}`;
    const dates = [
      ...(r.candidate ? [`release candidate ${day(r.candidate)}`] : []),
      ...(r.release ? [`release ${day(r.release)}`] : []),
      ...r.deadlines.map((d) => `Tier ${d.tier} SDKs by ${day(d.date)}`),
    ];
    const owed = new Set(r.sdks.flatMap((s) => s.owes));
    const rowId = (sep: number) => `${id}-sep-${sep}`;
    const owes = r.sdks.map((s) => {
      const late = s.deadline !== null && s.deadline < today && s.owes.length > 0;
      const deadline = s.deadline ? `${day(s.deadline)}${late ? ' <span class="badge failure">passed</span>' : ""}` : "—";
      const seps = s.owes.length ? `${plural(s.owes.length, "SEP")}: ${s.owes.map((n) => `<a href="#${esc(rowId(n))}">SEP-${n}</a>`).join(", ")}` : "nothing";
      return `<tr>${cell("SDK", link(s.url, t(s.name, 60)))}${cell("Tier", String(s.tier ?? "—"), "num")}${cell("Deadline", deadline)}${cell("Still owes", seps)}${cell("Maintainers", s.maintainers.length ? s.maintainers.map((l) => who(links, l)).join(", ") : "—")}</tr>`;
    });
    const rows = r.seps.map((n) => {
      const s = bySep.get(n);
      const impl = s?.implementation ?? null;
      const umbrella = impl?.umbrella ? ` <span class="muted">(umbrella ${link(impl.umbrella.url, `#${impl.umbrella.number}`)}${impl.umbrella.open ? "" : ", closed: no longer tracked"})</span>` : "";
      const cells = r.sdks.map((sdk) => {
        const line = impl?.sdks.find((l) => l.repo.toLowerCase() === sdk.repo.toLowerCase()) ?? null;
        const said: SiteSdkState = impl?.none ? "not-needed" : (line?.state ?? "not-filed");
        // A state the page does not know (a hand-made seps.json) is no class name.
        const state: SiteSdkState = Object.hasOwn(SDK_STATE_WORDS, said) ? said : "not-filed";
        const issue = line?.issue ? ` ${link(line.issue.url, `#${line.issue.number}`)}` : "";
        return cell(t(sdk.name, 60), `<span class="badge sdk-${state}">${SDK_STATE_WORDS[state]}</span>${issue}`);
      });
      return `<tr id="${esc(rowId(n))}">${cell("SEP", `${sepRef(s, n)}${umbrella}`, "title")}${cells.join("")}</tr>`;
    });
    return [
      `<section class="release" id="${esc(id)}" aria-labelledby="${esc(id)}-h">`,
      `<h3 id="${esc(id)}-h">${name}</h3>`,
      `<p>${plural(r.seps.length, "SEP")}${owed.size ? `, ${owed.size} not implemented everywhere yet` : ", implemented everywhere they are owed"}${dates.length ? `. Dates: ${dates.join("; ")}` : ""}.</p>`,
      '<table class="cards">',
      `<caption>What each SDK still owes${r.version === null ? "" : ` for ${t(r.version, 60)}`}: its issue open, not filed, or sep-bot without access there.</caption>`,
      '<thead><tr><th scope="col">SDK</th><th scope="col" class="num">Tier</th><th scope="col">Deadline</th><th scope="col">Still owes</th><th scope="col">Maintainers</th></tr></thead>',
      "<tbody>",
      ...owes,
      "</tbody>",
      "</table>",
      `<details${owed.size ? " open" : ""}>`,
      `<summary>Each SEP against each SDK (${plural(r.seps.length, "SEP")})</summary>`,
      `<div class="scroll" role="region" aria-label="${esc(`Table of the SEPs of ${r.version === null ? "no release" : oneLine(r.version, 60)} against each SDK`)}" tabindex="0">`,
      '<table class="cards release-matrix">',
      `<caption>Each SEP${r.version === null ? " with no release yet" : ` of ${t(r.version, 60)}`} in each SDK, and its issue there.</caption>`,
      `<thead><tr><th scope="col">SEP</th>${r.sdks.map((sdk) => `<th scope="col">${t(sdk.name, 60)}${sdk.tier ? ` <span class="muted">Tier ${sdk.tier}</span>` : ""}</th>`).join("")}</tr></thead>`,
      "<tbody>",
      ...rows,
      "</tbody>",
      "</table>",
      "</div>",
      "</details>",
      "</section>",
    ];
  };
  return [
    '<section id="releases" aria-labelledby="releases-h">',
    '<h2 id="releases-h">Releases: implementation across the SDKs</h2>',
    ...(data.releases.length
      ? [
          "<p>Each accepted SEP whose implementation sep-bot tracks, per specification release: one issue in each SDK's repository, listed in the SEP's umbrella issue here, as sep-bot last read them (the weekly sweep keeps them in step). An SDK with no issue for a SEP has it “not filed”; “no access”: sep-bot may not file there.</p>",
          '<nav aria-label="Releases">',
          '<ul class="people">',
          ...data.releases.map((r, i) => `<li><a href="#${esc(anchors[i]!)}">${r.version === null ? "No release yet" : t(r.version, 60)}</a> (${plural(r.seps.length, "SEP")})</li>`),
          "</ul>",
          "</nav>",
          ...data.releases.flatMap((r, i) => one(r, anchors[i]!)),
        ]
      : ["<p>No SEP is tracked across the SDKs.</p>"]),
    "</section>",
  ];
}

