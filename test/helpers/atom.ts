import { DOMParser, type Element } from "@xmldom/xmldom";

/**
 * A small Atom validity check (no well-kept Atom validator is published on
 * npm): the document is well-formed XML (parsed by @xmldom/xmldom, any error
 * or warning fails), and it holds what RFC 4287 requires:
 * - atom:feed (4.1.1): exactly one id, title, updated; an author unless every
 *   entry has one; at most one alternate link per type and hreflang; at most
 *   one subtitle, generator, icon, logo, rights;
 * - atom:entry (4.1.2): exactly one id, title, updated; content or an
 *   alternate link; at most one summary, content, published, rights;
 * - ids are IRIs (3.2: absolute: a scheme); dates are RFC 3339 (3.3); a link
 *   has an href (4.2.7); a category has a term (4.2.2); a person has a name
 *   (3.2); an entry id is not repeated.
 * Returns the problems found; empty when valid.
 */

export const ATOM = "http://www.w3.org/2005/Atom";
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const IRI = /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/;

export function atomProblems(xml: string): string[] {
  const problems: string[] = [];
  let doc;
  try {
    doc = new DOMParser({
      onError: (level, message) => {
        problems.push(`XML ${level}: ${message}`);
      },
    }).parseFromString(xml, "application/xml");
  } catch (error) {
    return [...problems, `not well-formed XML: ${(error as Error).message}`];
  }
  const feed = doc.documentElement;
  if (!feed || feed.namespaceURI !== ATOM || feed.localName !== "feed") return [...problems, "the root element is not atom:feed"];
  const children = (el: Element, name: string) => Array.from(el.childNodes).filter((n): n is Element => n.nodeType === 1 && (n as Element).namespaceURI === ATOM && (n as Element).localName === name);
  const text = (el: Element) => (el.textContent ?? "").trim();
  const exactlyOne = (el: Element, name: string, where: string) => {
    const found = children(el, name);
    if (found.length !== 1) problems.push(`${where}: ${found.length} atom:${name} (exactly one is required)`);
    return found[0];
  };
  const atMostOne = (el: Element, name: string, where: string) => {
    if (children(el, name).length > 1) problems.push(`${where}: more than one atom:${name}`);
  };
  const checkCommon = (el: Element, where: string) => {
    const id = exactlyOne(el, "id", where);
    if (id && !IRI.test(text(id))) problems.push(`${where}: atom:id "${text(id)}" is not an absolute IRI`);
    const title = exactlyOne(el, "title", where);
    if (title && !text(title)) problems.push(`${where}: atom:title is empty`);
    const updated = exactlyOne(el, "updated", where);
    if (updated && !RFC3339.test(text(updated))) problems.push(`${where}: atom:updated "${text(updated)}" is not an RFC 3339 date`);
    for (const link of children(el, "link")) if (!link.getAttribute("href")) problems.push(`${where}: an atom:link without href`);
    const alternates = children(el, "link").filter((l) => (l.getAttribute("rel") ?? "alternate") === "alternate");
    const keys = alternates.map((l) => `${l.getAttribute("type") ?? ""}|${l.getAttribute("hreflang") ?? ""}`);
    if (new Set(keys).size !== keys.length) problems.push(`${where}: two alternate links with one type and hreflang`);
    for (const c of children(el, "category")) if (!c.getAttribute("term")) problems.push(`${where}: an atom:category without term`);
    for (const person of [...children(el, "author"), ...children(el, "contributor")]) if (children(person, "name").length !== 1) problems.push(`${where}: a person without exactly one atom:name`);
    atMostOne(el, "rights", where);
    return { id: id ? text(id) : null, alternates: alternates.length, authors: children(el, "author").length };
  };
  const feedInfo = checkCommon(feed, "feed");
  for (const name of ["subtitle", "generator", "icon", "logo"]) atMostOne(feed, name, "feed");
  const ids = new Set<string>();
  const entries = children(feed, "entry");
  entries.forEach((entry, i) => {
    const where = `entry ${i + 1}`;
    const info = checkCommon(entry, where);
    if (info.id !== null) {
      if (ids.has(info.id)) problems.push(`${where}: its id is another entry's`);
      ids.add(info.id);
    }
    for (const name of ["summary", "content", "published", "source"]) atMostOne(entry, name, where);
    if (children(entry, "content").length === 0 && info.alternates === 0) problems.push(`${where}: neither atom:content nor an alternate link`);
    if (feedInfo.authors === 0 && info.authors === 0) problems.push(`${where}: no atom:author, and the feed has none`);
  });
  return problems;
}
