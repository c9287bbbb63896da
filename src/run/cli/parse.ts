import type { Sep } from "../../sep/model.js";

/** The stable JSON shape of `sep-bot parse --json`: one object per file. */
export function sepSummary(sep: Sep) {
  return {
    path: sep.path,
    number: sep.number,
    fileNumber: sep.fileNumber,
    slug: sep.slug,
    title: sep.title,
    status: sep.status,
    statusRaw: sep.statusRaw,
    type: sep.type,
    typeRaw: sep.typeRaw,
    created: sep.created,
    accepted: sep.accepted,
    authors: sep.authors.map(({ name, handle, email }) => ({ name, handle, email })),
    sponsors: sep.sponsors.map(({ name, handle }) => ({ name, handle })),
    awaitingSponsor: sep.awaitingSponsor,
    pr: sep.pr,
    legacy: sep.legacy,
    preambleStyle: sep.preambleStyle,
    sections: sep.sections.map(({ title, line }) => ({ title, line })),
    fields: Object.fromEntries(dedupe(sep.fields.map((f) => [f.key, f.value] as const))),
    extras: sep.extras,
  };
}

function dedupe(entries: ReadonlyArray<readonly [string, string]>): Array<readonly [string, string]> {
  const seen = new Set<string>();
  return entries.filter(([key]) => !seen.has(key) && seen.add(key));
}

/** A short human-readable view, for `sep-bot parse` without --json. */
export function formatSepText(sep: Sep): string {
  const s = sepSummary(sep);
  const people = (list: Array<{ name: string | null; handle: string | null }>) =>
    list.map((p) => [p.name, p.handle && `@${p.handle}`].filter(Boolean).join(" ")).join(", ") || "none";
  return [
    `${s.path}`,
    `  SEP:        ${s.number ?? "?"} (file name: ${s.fileNumber ?? "?"})  ${s.title ?? ""}`,
    `  Status:     ${s.status ?? "?"}${s.statusRaw !== null && s.statusRaw !== s.status ? ` (written "${s.statusRaw}")` : ""}`,
    `  Type:       ${s.type ?? "?"}`,
    `  Created:    ${s.created ?? "?"}`,
    `  Authors:    ${people(s.authors)}`,
    `  Sponsors:   ${people(s.sponsors)}${s.awaitingSponsor ? " (awaiting a sponsor)" : ""}`,
    `  PR:         ${s.pr ?? "?"}`,
    `  Preamble:   ${s.preambleStyle}`,
    `  Sections:   ${s.sections.map((x) => x.title).join(", ") || "none"}`,
    "",
  ].join("\n");
}
