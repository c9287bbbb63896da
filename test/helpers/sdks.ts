/** An SDK page as the documentation writes it (`docs/docs/draft/sdk.mdx`): a row per SDK, its repository link and its tier badge. */
export function sdkPage(rows: ReadonlyArray<{ name: string; repo: string; tier: number; site?: string }>): string {
  return [
    "| SDK | Repository | Tier |",
    "| :-- | :-- | --: |",
    ...rows.map((r) => `| ${r.site ? `[${r.name}](${r.site})` : r.name} | [${r.repo}](https://github.com/${r.repo}) | <Badge>Tier&nbsp;${r.tier}</Badge> |`),
    "",
  ].join("\n");
}
