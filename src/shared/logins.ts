/**
 * GitHub logins, compared as GitHub compares them: case-insensitively, and
 * an App's bot the same whether it is written `sep-bot` (GraphQL) or
 * `sep-bot[bot]` (REST). The one comparison every room uses.
 */

/** A login as a key: lowercase, without a leading `@` or an App's `[bot]` (as people and files write them). */
export function loginKey(login: string): string {
  return login.trim().replace(/^@+/, "").replace(/\[bot\]$/i, "").toLowerCase();
}

/** The same account. */
export function sameLogin(a: string, b: string): boolean {
  return loginKey(a) === loginKey(b);
}
