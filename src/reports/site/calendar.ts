import { personText, sepRef, t, who, type Links } from "./html.js";
import { DEADLINE_WINDOW_DAYS, type SiteData, type SiteSep } from "./model.js";

/**
 * What is coming, by date: the agenda of the next core-maintainer review
 * (the SEPs in review and their votes) and the deadlines the clocks will
 * reach in the next days. Both are what a meeting or a week is planned from.
 */

function sponsorsOf(s: SiteSep, links: Links): string {
  return s.sponsors.length ? s.sponsors.map((p) => (p.login ? who(links, p.login) : personText(links, p))).join(", ") : "—";
}

export function agendaSection(data: SiteData, bySep: Map<number, SiteSep>, links: Links): string[] {
  const rows = data.agenda.map((n) => {
    const s = bySep.get(n)!;
    const v = s.votes;
    const tally = v ? `${v.yes} yes, ${v.no} no, ${v.abstain} abstain` : "none yet";
    const missing = v?.notVoted ? (v.notVoted.length ? v.notVoted.map((l) => who(links, l)).join(", ") : "everyone has voted") : "unknown";
    return `<tr><td data-label="SEP">${sepRef(s, n)}</td><td data-label="Sponsors">${sponsorsOf(s, links)}</td><td data-label="Days in review" class="num">${s.daysInStatus ?? "—"}</td><td data-label="Votes">${tally}</td><td data-label="Not voted yet">${missing}</td></tr>`;
  });
  return [
    '<section id="agenda" aria-labelledby="agenda-h">',
    '<h2 id="agenda-h">Agenda of the next core-maintainer review</h2>',
    ...(rows.length
      ? [
          "<p>SEPs in review, longest first. Core maintainers vote with <code>/vote yes|no|abstain</code> and decide with <code>/accept</code>, <code>/reject</code> or <code>/status draft</code>.</p>",
          '<div class="scroll" role="region" aria-label="Table of the agenda" tabindex="0">',
          '<table class="cards">',
          '<thead><tr><th scope="col">SEP</th><th scope="col">Sponsors</th><th scope="col" class="num">Days in review</th><th scope="col">Votes</th><th scope="col">Not voted yet</th></tr></thead>',
          "<tbody>",
          ...rows,
          "</tbody>",
          "</table>",
          "</div>",
        ]
      : ["<p>Nothing is in review.</p>"]),
    "</section>",
  ];
}

export function deadlinesSection(data: SiteData, bySep: Map<number, SiteSep>, links: Links): string[] {
  const rows = data.deadlines.map(
    (d) =>
      `<tr><td data-label="Date"><time datetime="${t(d.date, 10)}">${t(d.date, 10)}</time></td><td data-label="SEP">${sepRef(bySep.get(d.sep), d.sep)}</td><td data-label="What"><span class="badge ${d.kind}">${d.kind}</span> ${t(d.what, 200)}</td><td data-label="Who is told">${d.to.length ? d.to.map((l) => who(links, l)).join(", ") : "—"}</td></tr>`,
  );
  return [
    '<section id="deadlines" aria-labelledby="deadlines-h">',
    `<h2 id="deadlines-h">Deadlines in the next ${DEADLINE_WINDOW_DAYS} days</h2>`,
    ...(rows.length
      ? [
          "<p>Reminders, the dated warnings before dormancy, and dormancy itself, as the clocks will send them (for a pull request sep-bot has not checked yet, as its first check will date them). Any activity by a person can move them.</p>",
          '<div class="scroll" role="region" aria-label="Table of the deadlines" tabindex="0">',
          '<table class="cards">',
          '<thead><tr><th scope="col">Date</th><th scope="col">SEP</th><th scope="col">What</th><th scope="col">Who is told</th></tr></thead>',
          "<tbody>",
          ...rows,
          "</tbody>",
          "</table>",
          "</div>",
        ]
      : [`<p>No deadline falls in the next ${DEADLINE_WINDOW_DAYS} days.</p>`]),
    "</section>",
  ];
}

