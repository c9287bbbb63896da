/**
 * Where a paragraph's code spans and inline HTML lie (offsets into the text):
 * a command line that starts inside one is not a command (`` `\n/accept\n` ``,
 * `<!--\n/accept\n-->`). micromark finds the same spans, but on hostile text
 * (64 KB of `x<y` lines, 32 KB of `<?`) it takes seconds; this scan is
 * linear. It follows micromark's own rules (`micromark-core-commonmark`'s
 * code-text, autolink and html-text), left to right, the first construct to
 * start winning, and the tests hold it equal to micromark on generated text.
 * Emphasis and links are not read: they hide no command (the parser turns
 * them off too).
 */

const BACKTICK = 96;
const LESS_THAN = 60;
const BACKSLASH = 92;

/** Code spans and inline HTML of text[start, end), as [from, to) offsets. */
export function hiddenSpans(text: string, start: number, end: number): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  const closers = backtickCloser(text, start, end);
  const find = closerFinder(text, end);
  for (let i = start; i < end; ) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH && i + 1 < end && isAsciiPunctuation(text.charCodeAt(i + 1))) {
      // An escaped character opens nothing; the backticks after an escaped one may still open a span (micromark's rule).
      i += 2;
      continue;
    }
    if (c === BACKTICK) {
      let j = i;
      while (j < end && text.charCodeAt(j) === BACKTICK) j++;
      const close = closers(j - i, j);
      if (close < 0) i = j; // no run of its length after it: literal backticks
      else {
        spans.push([i, close + (j - i)]);
        i = close + (j - i);
      }
      continue;
    }
    if (c === LESS_THAN) {
      const link = autolinkEnd(text, i, end);
      if (link > 0) {
        i = link; // one line, no space: it hides no line, but what it holds opens nothing
        continue;
      }
      const html = htmlEnd(text, i, end, find);
      if (html > 0) {
        spans.push([i, html]);
        i = html;
        continue;
      }
    }
    i++;
  }
  return spans;
}

/** The next backtick run of exactly `length` at or after `from` (runs found once; each length's pointer only moves on). */
function backtickCloser(text: string, start: number, end: number): (length: number, from: number) => number {
  const runs = new Map<number, number[]>();
  for (let i = start; i < end; ) {
    if (text.charCodeAt(i) !== BACKTICK) {
      i++;
      continue;
    }
    let j = i;
    while (j < end && text.charCodeAt(j) === BACKTICK) j++;
    const list = runs.get(j - i) ?? [];
    list.push(i);
    runs.set(j - i, list);
    i = j;
  }
  const next = new Map<number, number>();
  return (length, from) => {
    const list = runs.get(length);
    if (!list) return -1;
    let k = next.get(length) ?? 0;
    while (k < list.length && list[k]! < from) k++;
    next.set(length, k);
    return k < list.length ? list[k]! : -1;
  };
}

/** indexOf within [.., end), remembering a closer that is not there: later openers never look again. */
function closerFinder(text: string, end: number): (closer: string, from: number) => number {
  const absent = new Set<string>();
  return (closer, from) => {
    if (absent.has(closer)) return -1;
    const at = text.indexOf(closer, from);
    if (at < 0 || at + closer.length > end) {
      absent.add(closer);
      return -1;
    }
    return at;
  };
}

const SCHEME_AUTOLINK = /<[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\u0000-\u0020<>\u007f]*>/y;
const EMAIL_AUTOLINK = /<[#-'*+\--9=?A-Z^-~]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*>/y;

/** The end of an autolink at `i` (`<https://…>`, `<a@b.c>`), or -1. */
function autolinkEnd(text: string, i: number, end: number): number {
  for (const pattern of [SCHEME_AUTOLINK, EMAIL_AUTOLINK]) {
    pattern.lastIndex = i;
    const m = pattern.exec(text);
    if (m && i + m[0].length <= end) return i + m[0].length;
  }
  return -1;
}

/** The end of inline HTML at `i` (a tag, a comment, an instruction, a declaration, CDATA), or -1. */
function htmlEnd(text: string, i: number, end: number, find: (closer: string, from: number) => number): number {
  const at = (k: number) => (k < end ? text.charCodeAt(k) : -1);
  const after = (closer: string, from: number) => {
    const q = find(closer, from);
    return q < 0 ? -1 : q + closer.length;
  };
  const next = at(i + 1);
  if (next === 33 /* ! */) {
    const kind = at(i + 2);
    if (kind === 45 /* - */) return at(i + 3) === 45 ? after("-->", i + 2) : -1; // `<!-->` and `<!--->` are comments too
    if (kind === 91 /* [ */) return text.startsWith("CDATA[", i + 3) && i + 9 <= end ? after("]]>", i + 9) : -1;
    return isAsciiAlpha(kind) ? after(">", i + 3) : -1;
  }
  if (next === 63 /* ? */) return after("?>", i + 2);
  if (next === 47 /* / */) {
    let k = i + 2;
    if (!isAsciiAlpha(at(k))) return -1;
    while (isAsciiAlphanumeric(at(k)) || at(k) === 45) k++;
    while (isSpace(at(k))) k++;
    return at(k) === 62 ? k + 1 : -1;
  }
  if (!isAsciiAlpha(next)) return -1;
  let k = i + 2;
  while (isAsciiAlphanumeric(at(k)) || at(k) === 45) k++;
  if (!(at(k) === 47 || at(k) === 62 || isSpace(at(k)))) return -1;
  // Between attributes: space, `/>`, `>`, or an attribute (after space: a name right after the tag name is no tag).
  for (;;) {
    const c = at(k);
    if (c === 47) return at(k + 1) === 62 ? k + 2 : -1;
    if (c === 62) return k + 1;
    if (isSpace(c)) {
      k++;
      continue;
    }
    if (!(c === 58 || c === 95 || isAsciiAlpha(c))) return -1;
    k++;
    while (isAttributeNameChar(at(k))) k++;
    let s = k;
    while (isSpace(at(s))) s++;
    if (at(s) !== 61 /* = */) continue; // a name alone: back between attributes
    k = s + 1;
    while (isSpace(at(k))) k++;
    const v = at(k);
    if (v === -1 || v === 60 || v === 61 || v === 62 || v === BACKTICK) return -1;
    if (v === 34 || v === 39) {
      const q = text.indexOf(String.fromCharCode(v), k + 1);
      if (q < 0 || q >= end) return -1;
      k = q + 1;
      const c2 = at(k);
      if (!(c2 === 47 || c2 === 62 || isSpace(c2))) return -1;
      continue;
    }
    k++; // the value's first character is taken whatever it is (`/` included)
    while (at(k) !== -1 && !isSpace(at(k)) && at(k) !== 47 && at(k) !== 62) {
      const u = at(k);
      if (u === 34 || u === 39 || u === 60 || u === 61 || u === BACKTICK) return -1;
      k++;
    }
    if (at(k) === -1) return -1;
  }
}

const isAsciiAlpha = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isAsciiAlphanumeric = (c: number) => isAsciiAlpha(c) || (c >= 48 && c <= 57);
const isAttributeNameChar = (c: number) => isAsciiAlphanumeric(c) || c === 45 || c === 46 || c === 58 || c === 95;
/** Space, tab and line endings: what html-text allows between a tag's parts. */
const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;
const isAsciiPunctuation = (c: number) => (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126);
