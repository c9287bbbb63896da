/** An SDK page as the documentation writes it (`docs/docs/draft/sdk.mdx`): a row per SDK, its repository link and its tier badge. */
export function sdkPage(rows: ReadonlyArray<{ name: string; repo: string; tier: number; site?: string }>): string {
  return [
    "| SDK | Repository | Tier |",
    "| :-- | :-- | --: |",
    ...rows.map((r) => `| ${r.site ? `[${r.name}](${r.site})` : r.name} | [${r.repo}](https://github.com/${r.repo}) | <Badge>Tier&nbsp;${r.tier}</Badge> |`),
    "",
  ].join("\n");
}

/** Four of the official SDKs, as the tests name them: three Tier 1, one Tier 2. */
export const TS = "modelcontextprotocol/typescript-sdk";
export const PY = "modelcontextprotocol/python-sdk";
export const GO = "modelcontextprotocol/go-sdk";
export const JAVA = "modelcontextprotocol/java-sdk";
export const SDK_ROWS = [
  { name: "TypeScript", repo: TS, tier: 1, site: "https://ts.example" },
  { name: "Python", repo: PY, tier: 1, site: "https://py.example" },
  { name: "Go", repo: GO, tier: 1 },
  { name: "Java", repo: JAVA, tier: 2 },
] as const;
