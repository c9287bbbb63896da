import type { SiteData, SiteSep } from "./model.js";

/**
 * The pipeline's two charts, drawn as inline SVG by hand (no library, no
 * script): bars of SEPs per status, and each open SEP's days in its status
 * as a dot over a box of the quartiles. Colours are presentation attributes
 * (a strict Content-Security-Policy forbids style attributes), every number is
 * rounded to one decimal (the same input gives the same bytes), and each chart
 * carries its text alternative (`<title>`, `<desc>`) for screen readers.
 * Each comes in two layouts: wide (labels beside the bars) and narrow (labels
 * above them, drawn at a phone's width so its text stays 13-14 px); the
 * stylesheet shows the one that fits.
 */

export type Escape = (text: string) => string;

const WIDTH = 720;
const LABEL = 190;
const PLOT = 440;
const ROW = 30;
/** The narrow layout: a phone's width, a label line above each bar. */
const N_WIDTH = 360;
const N_LEFT = 8;
const N_PLOT = 300;
const N_ROW = 44;
const TOP = 10;
const INK = "#1b1b1b";
const OPEN = "#1f5fa8";
const MERGED = "#9dbbe0";
const GRID = "#c8c8c8";

const f = (n: number) => (Math.round(n * 10) / 10).toString();
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function nameOf(data: SiteData, status: string | null): string {
  return status === null ? "Unknown" : (data.statuses.find((s) => s.id === status)?.name ?? status);
}

/** Counts per status, each bar split into SEPs with an open pull request and SEPs only on the default branch. */
export function countsChart(data: SiteData, esc: Escape, narrow = false): string {
  if (narrow) return countsNarrow(data, esc);
  const rows = data.pipeline;
  const max = Math.max(1, ...rows.map((r) => r.count));
  const height = TOP * 2 + rows.length * ROW + 24;
  const scale = (n: number) => (n / max) * (PLOT - 40);
  const desc = countsDesc(data);
  const parts = [
    `<svg class="chart wide" role="img" aria-labelledby="counts-title counts-desc" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" xmlns="http://www.w3.org/2000/svg">`,
    `<title id="counts-title">SEPs per status</title>`,
    `<desc id="counts-desc">${esc(desc)}.</desc>`,
  ];
  rows.forEach((r, i) => {
    const y = TOP + i * ROW;
    const open = scale(r.open);
    const merged = scale(r.merged);
    parts.push(
      `<text x="${LABEL - 10}" y="${f(y + ROW / 2 + 5)}" text-anchor="end" font-size="14" fill="${INK}">${esc(nameOf(data, r.status))}</text>`,
      `<rect x="${LABEL}" y="${y + 5}" width="${f(open)}" height="${ROW - 10}" fill="${OPEN}"/>`,
      `<rect x="${f(LABEL + open)}" y="${y + 5}" width="${f(merged)}" height="${ROW - 10}" fill="${MERGED}"/>`,
      `<text x="${f(LABEL + open + merged + 6)}" y="${f(y + ROW / 2 + 5)}" font-size="14" fill="${INK}">${r.count}</text>`,
    );
  });
  const legendY = TOP + rows.length * ROW + 14;
  parts.push(
    `<rect x="${LABEL}" y="${legendY - 10}" width="12" height="12" fill="${OPEN}"/>`,
    `<text x="${LABEL + 18}" y="${legendY}" font-size="13" fill="${INK}">open pull request</text>`,
    `<rect x="${LABEL + 160}" y="${legendY - 10}" width="12" height="12" fill="${MERGED}"/>`,
    `<text x="${LABEL + 178}" y="${legendY}" font-size="13" fill="${INK}">only on the default branch</text>`,
    "</svg>",
  );
  return parts.join("\n");
}

/** A round upper bound for the days axis: 30, 60, 90, 180, 365, then whole years. */
function axisMax(days: number): number {
  for (const step of [30, 60, 90, 180, 365]) if (days <= step) return step;
  return Math.ceil(days / 365) * 365;
}

/** The q-th quantile of sorted values (linear between neighbours). */
function quantile(sorted: readonly number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

/** The vertical lines and their day counts, `ticks` steps from 0 to `max`. */
function daysGrid(x: (days: number) => number, max: number, ticks: number, axisY: number): string[] {
  const parts: string[] = [];
  for (let i = 0; i <= ticks; i++) {
    const days = Math.round((max * i) / ticks);
    parts.push(
      `<line x1="${f(x(days))}" y1="${TOP}" x2="${f(x(days))}" y2="${axisY}" stroke="${GRID}" stroke-width="1"/>`,
      `<text x="${f(x(days))}" y="${axisY + 18}" text-anchor="middle" font-size="13" fill="${INK}">${days}</text>`,
    );
  }
  return parts;
}

/**
 * A status's box from the first to the third quartile (`box` above and below
 * `mid`), its median line, and one dot per SEP, nudged up or down in turn so
 * equal ages stay visible.
 */
function boxAndDots(r: SiteData["pipeline"][number], mid: number, x: (days: number) => number, live: readonly SiteSep[], size: { box: number; median: number; nudge: number }): string[] {
  const q1 = quantile(r.days, 0.25);
  const q3 = quantile(r.days, 0.75);
  const median = x(quantile(r.days, 0.5));
  const parts = [
    `<rect x="${f(x(q1))}" y="${f(mid - size.box)}" width="${f(Math.max(1, x(q3) - x(q1)))}" height="${size.box * 2}" fill="#e4ecf7" stroke="${OPEN}" stroke-width="1"/>`,
    `<line x1="${f(median)}" y1="${f(mid - size.median)}" x2="${f(median)}" y2="${f(mid + size.median)}" stroke="${INK}" stroke-width="2"/>`,
  ];
  const here = live.filter((s) => s.status === r.status).sort((a, b) => a.daysInStatus! - b.daysInStatus! || a.number - b.number);
  here.forEach((s, j) => {
    const dy = ((j % 3) - 1) * size.nudge;
    parts.push(`<circle cx="${f(x(s.daysInStatus!))}" cy="${f(mid + dy)}" r="4" fill="${OPEN}" stroke="#ffffff" stroke-width="1"><title>SEP-${s.number}: ${s.daysInStatus} days</title></circle>`);
  });
  return parts;
}

/** Days in status of each open SEP, per status: a dot each, over the box from the first to the third quartile and the median. */
export function agesChart(data: SiteData, esc: Escape, narrow = false): string | null {
  const rows = data.pipeline.filter((r) => r.days.length > 0);
  if (rows.length === 0) return null;
  if (narrow) return agesNarrow(data, esc);
  const max = axisMax(Math.max(...rows.flatMap((r) => r.days)));
  const x = (days: number) => LABEL + (Math.max(0, days) / max) * PLOT;
  const height = TOP * 2 + rows.length * ROW + 30;
  const axisY = TOP + rows.length * ROW;
  const live = data.seps.filter((s) => s.pullRequest?.open && s.daysInStatus !== null);
  const desc = agesDesc(data);
  const parts = [
    `<svg class="chart wide" role="img" aria-labelledby="ages-title ages-desc" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" xmlns="http://www.w3.org/2000/svg">`,
    `<title id="ages-title">Days each open SEP has been in its status</title>`,
    `<desc id="ages-desc">${esc(desc)}.</desc>`,
  ];
  parts.push(...daysGrid(x, max, 4, axisY));
  parts.push(`<text x="${LABEL + PLOT}" y="${axisY + 34}" text-anchor="end" font-size="13" fill="${INK}">days in status</text>`);
  rows.forEach((r, i) => {
    const mid = TOP + i * ROW + ROW / 2;
    parts.push(`<text x="${LABEL - 10}" y="${f(mid + 5)}" text-anchor="end" font-size="14" fill="${INK}">${esc(nameOf(data, r.status))}</text>`);
    parts.push(...boxAndDots(r, mid, x, live, { box: 9, median: 11, nudge: 5 }));
  });
  parts.push("</svg>");
  return parts.join("\n");
}

function countsDesc(data: SiteData): string {
  return data.pipeline.map((r) => `${nameOf(data, r.status)}: ${r.count} (${r.open} in open pull requests, ${r.merged} only on the default branch)`).join("; ");
}

function agesDesc(data: SiteData): string {
  return data.pipeline
    .filter((r) => r.days.length > 0)
    .map((r) => `${nameOf(data, r.status)}: ${plural(r.days.length, "open SEP")}, ${r.days.length === 1 ? `${r.days[0]} days` : `median ${r.median} days, from ${r.days[0]} to ${r.days.at(-1)}`}`)
    .join("; ");
}

function countsNarrow(data: SiteData, esc: Escape): string {
  const rows = data.pipeline;
  const max = Math.max(1, ...rows.map((r) => r.count));
  const scale = (n: number) => (n / max) * (N_PLOT - 40);
  const height = TOP + rows.length * N_ROW + 30;
  const parts = [
    `<svg class="chart narrow" role="img" aria-labelledby="counts-n-title counts-n-desc" viewBox="0 0 ${N_WIDTH} ${height}" width="${N_WIDTH}" height="${height}" xmlns="http://www.w3.org/2000/svg">`,
    `<title id="counts-n-title">SEPs per status</title>`,
    `<desc id="counts-n-desc">${esc(countsDesc(data))}.</desc>`,
  ];
  rows.forEach((r, i) => {
    const y = TOP + i * N_ROW;
    const open = scale(r.open);
    const merged = scale(r.merged);
    parts.push(
      `<text x="${N_LEFT}" y="${y + 14}" font-size="14" fill="${INK}">${esc(nameOf(data, r.status))}</text>`,
      `<rect x="${N_LEFT}" y="${y + 20}" width="${f(open)}" height="16" fill="${OPEN}"/>`,
      `<rect x="${f(N_LEFT + open)}" y="${y + 20}" width="${f(merged)}" height="16" fill="${MERGED}"/>`,
      `<text x="${f(N_LEFT + open + merged + 6)}" y="${y + 33}" font-size="14" fill="${INK}">${r.count}</text>`,
    );
  });
  const legendY = TOP + rows.length * N_ROW + 14;
  parts.push(
    `<rect x="${N_LEFT}" y="${legendY - 10}" width="12" height="12" fill="${OPEN}"/>`,
    `<text x="${N_LEFT + 18}" y="${legendY}" font-size="13" fill="${INK}">open pull request</text>`,
    `<rect x="${N_LEFT + 150}" y="${legendY - 10}" width="12" height="12" fill="${MERGED}"/>`,
    `<text x="${N_LEFT + 168}" y="${legendY}" font-size="13" fill="${INK}">default branch only</text>`,
    "</svg>",
  );
  return parts.join("\n");
}

function agesNarrow(data: SiteData, esc: Escape): string {
  const rows = data.pipeline.filter((r) => r.days.length > 0);
  const max = axisMax(Math.max(...rows.flatMap((r) => r.days)));
  const left = N_LEFT + 12;
  const plot = N_WIDTH - left - 24;
  const x = (days: number) => left + (Math.max(0, days) / max) * plot;
  const axisY = TOP + rows.length * N_ROW;
  const height = axisY + 40;
  const live = data.seps.filter((s) => s.pullRequest?.open && s.daysInStatus !== null);
  const parts = [
    `<svg class="chart narrow" role="img" aria-labelledby="ages-n-title ages-n-desc" viewBox="0 0 ${N_WIDTH} ${height}" width="${N_WIDTH}" height="${height}" xmlns="http://www.w3.org/2000/svg">`,
    `<title id="ages-n-title">Days each open SEP has been in its status</title>`,
    `<desc id="ages-n-desc">${esc(agesDesc(data))}.</desc>`,
  ];
  parts.push(...daysGrid(x, max, 2, axisY));
  parts.push(`<text x="${left + plot}" y="${axisY + 34}" text-anchor="end" font-size="13" fill="${INK}">days in status</text>`);
  rows.forEach((r, i) => {
    const y = TOP + i * N_ROW;
    const mid = y + 29;
    parts.push(`<text x="${N_LEFT}" y="${y + 13}" font-size="14" fill="${INK}">${esc(nameOf(data, r.status))}</text>`);
    parts.push(...boxAndDots(r, mid, x, live, { box: 8, median: 10, nudge: 4 }));
  });
  parts.push("</svg>");
  return parts.join("\n");
}
