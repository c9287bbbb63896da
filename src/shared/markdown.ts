/**
 * Links sep-bot writes into markdown (comments, the digest): a URL made safe
 * inside `[text](...)`, whatever it holds (a title's characters, a configured
 * URL with parentheses or spaces), and links into the published SEP site.
 */

/** Every character outside RFC 3986's unreserved and reserved sets (parentheses, spaces, brackets...) percent-encoded as UTF-8. */
export function markdownUrl(url: string): string {
  return url.replace(/[^A-Za-z0-9\-._~:/?#@!$&*+,;=%]/gu, (c) =>
    [...new TextEncoder().encode(c)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`).join(""),
  );
}

/** The site's page (`links.site` in the rules) with a fragment (`#sep-2002`), safe in markdown. */
export function siteLink(url: string, fragment = ""): string {
  return markdownUrl(`${url.replace(/#.*$/s, "")}${fragment}`);
}
