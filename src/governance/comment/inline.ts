/** Markdown-safe inline text from an untrusted file: no HTML, no mentions, no table breaks, no code spans. */
export function safe(text: string | null, max = 200): string {
  if (!text) return "—";
  const clean = text.replace(/[<>|`\r\n]/g, " ").replace(/@/g, "@\u200b").replace(/\s+/g, " ").trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}
