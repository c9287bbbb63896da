import { describe, expect, it } from "vitest";
import { applyChange, applyEdits, renumber, setSponsor, setStatus } from "../../../src/sep/edit.js";
import { parseSep } from "../../../src/sep/parse.js";
import { rules, sepText } from "../../helpers/sep.js";

const URL = "https://github.com/o/r/pull/42";

describe("byte-preserving edits", () => {
  it("replaces a range on one line and nothing else, across LF, CRLF, CR and a BOM", () => {
    for (const [text, expected] of [
      ["ab\ncd\n", "ab\ncX\n"],
      ["ab\r\ncd\r\n", "ab\r\ncX\r\n"],
      ["ab\rcd\r", "ab\rcX\r"],
      ["\uFEFFab\ncd", "\uFEFFab\ncX"],
    ] as const) {
      expect(applyEdits(text, [{ line: 2, column: 2, endColumn: 3, text: "X" }])).toBe(expected);
    }
  });

  it("applies several edits without shifting each other", () => {
    expect(applyEdits("one two\nthree", [{ line: 1, column: 1, endColumn: 4, text: "1" }, { line: 1, column: 5, endColumn: 8, text: "2" }, { line: 2, column: 1, endColumn: 6, text: "3" }])).toBe("1 2\n3");
  });

  it("refuses an edit past the end instead of writing garbage", () => {
    expect(() => applyEdits("a", [{ line: 3, column: 1, endColumn: 1, text: "x" }])).toThrow(RangeError);
  });
});

describe("renumber", () => {
  it("sets heading number and PR field, keeps the title, trailing spaces and closing hashes", () => {
    const text = sepText({ heading: "# SEP-0000: Streaming Widgets #  ", pr: "https://github.com/o/r/pull/{NUMBER}" });
    const sep = parseSep(text, "seps/0000-streaming-widgets.md", { rules });
    const change = renumber(sep, 42, URL, rules);
    expect(change.newPath).toBe("seps/42-streaming-widgets.md");
    const out = applyChange(text, change);
    expect(out).toBe(text.replace("SEP-0000", "SEP-42").replace("https://github.com/o/r/pull/{NUMBER}", URL));
  });

  it("adds a missing PR field after the last bullet, in the file's line endings", () => {
    const text = sepText({ preamble: "- **Status**: Draft\r\n- **Type**: Process" }).replace(/\n/g, "\r\n").replace(/\r\r\n/g, "\r\n");
    const sep = parseSep(text, "seps/0000-x.md", { rules });
    const out = applyChange(text, renumber(sep, 42, URL, rules));
    expect(out).toContain(`- **Type**: Process\r\n- **PR**: ${URL}\r\n`);
    expect(out.replace(`- **PR**: ${URL}\r\n`, "").replace("SEP-42", "SEP-2234")).toBe(text);
  });

  it("nothing to do when everything already says the PR's number", () => {
    const text = sepText({ heading: "# SEP-42: W", pr: URL });
    const change = renumber(parseSep(text, "seps/42-w.md", { rules }), 42, URL, rules);
    expect(change).toEqual({ edits: [], inserts: [], newPath: "seps/42-w.md" });
  });
});

describe("status and sponsor", () => {
  it("setStatus replaces the value; a stamp field is added once", () => {
    const text = sepText();
    const sep = parseSep(text, "seps/2234-x.md", { rules });
    const out = applyChange(text, setStatus(sep, "Accepted", { field: "Accepted", date: "2026-11-21" })!);
    expect(out).toBe(text.replace("Status**: Draft", "Status**: Accepted").replace("- **Created**: 2026-01-15\n", "- **Created**: 2026-01-15\n- **Accepted**: 2026-11-21\n"));
    const again = parseSep(out, "seps/2234-x.md", { rules });
    expect(setStatus(again, "Accepted", { field: "Accepted", date: "2026-12-01" })).toEqual({ edits: [], inserts: [] });
  });

  it("setSponsor replaces 'None (seeking sponsor)'", () => {
    const text = sepText({ sponsor: "None (seeking sponsor)" });
    const out = applyChange(text, setSponsor(parseSep(text, "seps/2234-x.md", { rules }), "@max")!);
    expect(out).toBe(text.replace("None (seeking sponsor)", "@max"));
  });

  describe("front matter is edited in the YAML, in place", () => {
    const fm = (head: string) => `---\n${head}---\n\n# SEP-1: X\n\n## Abstract\n\nText.\n`;
    const edit = (text: string, change: ReturnType<typeof setStatus>) => applyChange(text, change!);

    it("a plain or quoted scalar is replaced, comments and other keys kept", () => {
      const text = fm('title: X\nstatus: "in-review"   # set by the sponsor\ntype: Process\n');
      const out = edit(text, setStatus(parseSep(text, "seps/1-x.md", { rules }), "Accepted", null));
      expect(out).toBe(text.replace('"in-review"', "Accepted"));
      expect(parseSep(out, "seps/1-x.md", { rules }).status).toBe("accepted");
    });

    it("an empty key gets its value; a value YAML would misread is quoted", () => {
      const text = fm("status: Draft\nsponsor:\n");
      const out = edit(text, setSponsor(parseSep(text, "seps/1-x.md", { rules }), "Grace Hopper (@grace)"));
      expect(out).toBe(text.replace("sponsor:\n", "sponsor: Grace Hopper (@grace)\n"));
      const tricky = edit(text, setSponsor(parseSep(text, "seps/1-x.md", { rules }), "Ana: the sponsor #1"));
      expect(tricky).toContain('sponsor: "Ana: the sponsor #1"\n');
      expect(parseSep(tricky, "seps/1-x.md", { rules }).sponsors[0]?.name).toBe("Ana: the sponsor #1");
    });

    it("a missing key is added before the closing ---; the stamp too", () => {
      const text = fm("status: In-Review\nauthors:\n  - Ada (@ada)\n");
      const out = edit(text, setStatus(parseSep(text, "seps/1-x.md", { rules }), "Accepted", { field: "Accepted", date: "2026-11-21, 3 Yes" }));
      expect(out).toBe(text.replace("In-Review", "Accepted").replace("  - Ada (@ada)\n", "  - Ada (@ada)\naccepted: 2026-11-21, 3 Yes\n"));
      const sep = parseSep(out, "seps/1-x.md", { rules });
      expect(sep.accepted).toBe("2026-11-21, 3 Yes");
      expect(sep.authors.map((a) => a.handle)).toEqual(["ada"]);
    });

    it("CRLF and a byte-order mark survive", () => {
      const text = "\uFEFF" + fm("status: Draft\nsponsor: None\n").replace(/\n/g, "\r\n");
      const out = edit(text, setSponsor(parseSep(text, "seps/1-x.md", { rules }), "@max"));
      expect(out).toBe(text.replace("sponsor: None", "sponsor: \"@max\""));
    });

    it("flow mappings and JSON front matter are never edited in place (a comma would end the value): null", () => {
      for (const head of ['{status: draft, sponsor: None, accepted: ""}\n', '{"status": "draft", "sponsor": "None"}\n']) {
        const text = fm(head);
        const sep = parseSep(text, "seps/1-x.md", { rules });
        expect(sep.status).toBe("draft");
        expect(setStatus(sep, "Accepted", { field: "Accepted", date: "2026-11-21, 3 Yes, 0 No" })).toBeNull();
        expect(setSponsor(sep, "Grace (@grace), Acme")).toBeNull();
      }
    });

    it("a value over several lines (a YAML list) is left to people: null", () => {
      const text = fm("status: Draft\nsponsor:\n  - Ana (@ana)\n");
      expect(setSponsor(parseSep(text, "seps/1-x.md", { rules }), "@max")).toBeNull();
    });
  });
});
