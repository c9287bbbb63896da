import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lineKey, nearest } from "../../../../src/governance/commands/evaluate.js";
import { mayHoldCommand, parseCommands, readCommands } from "../../../../src/governance/commands/parse.js";

/** The command parser: what is a command in a comment, and what is not. */

const names = (body: string) => parseCommands(body).map((c) => `${c.name}${c.rest ? ` ${c.rest}` : ""}`);

describe("parseCommands", () => {
  it.each<[string, string, string[]]>([
    ["a command alone", "/accept", ["accept"]],
    ["mixed case, trailing spaces", "/ACCEPT   ", ["accept"]],
    ["arguments and a reason", "/status in-review   ready for the meeting", ["status in-review   ready for the meeting"]],
    ["a vote with a reason", "/vote yes: solid design", ["vote yes: solid design"]],
    ["several, one per line, among prose", "Thanks!\n\n/sponsor\nand then\n/review please", ["sponsor", "review please"]],
    ["up to three spaces of indentation", "   /check", ["check"]],
    ["CRLF line endings", "hello\r\n/check\r\n/help\r\n", ["check", "help"]],
    ["in a fenced code block", "```\n/accept\n```", []],
    ["in a tilde fence with a language", "~~~sh\n/accept\n~~~\n/check", ["check"]],
    ["indented code (four spaces)", "text\n\n    /accept\n", []],
    ["a block quote", "> /accept", []],
    ["a nested quote", "> > /accept\n>\n> text", []],
    ["a lazy continuation line of a quote", "> someone said\n/accept", []],
    ["an HTML comment", "<!-- /accept -->", []],
    ["a multi-line HTML comment", "<!--\n/accept\n-->\n/check", ["check"]],
    ["an inline HTML comment spanning lines", "text <!--\n/accept\n--> more", []],
    ["a slash path", "/usr/bin/env node", []],
    ["a path alone on a line", "/etc/passwd", []],
    ["punctuation glued to the name", "/accept.", []],
    ["inline code", "`/accept`", []],
    ["in a list item", "- /accept", []],
    ["in the middle of a line", "please /accept this", []],
    ["a heading", "# /accept", []],
    ["a lone slash", "/", []],
    ["a name starting with a digit", "/1password", []],
  ])("%s", (_name, body, expected) => {
    expect(names(body)).toEqual(expected);
  });

  it("a command inside a code span that runs over two lines is code, not a command", () => {
    expect(names("see `x\n/accept now` here")).toEqual([]);
  });

  it.each([
    ["10,000 nested quotes", `/check\n${">".repeat(10_000)}`],
    ["5,000 nested list items", `/check\n${"- ".repeat(5_000)}`],
    ["21,000 emphasis openers (quadratic in micromark's emphasis)", `/check\n${"**a".repeat(21_000)}`],
    ["30,000 link openers", `/check\n${"[a".repeat(30_000)}`],
  ])("hostile nesting does not throw or hide the command: %s", (_name, body) => {
    expect(names(body)).toEqual(["check"]);
  });

  it("records the line each command stands on, and its text as written", () => {
    expect(parseCommands("intro\n\n/Vote  YES  because\n")).toEqual([{ name: "vote", rest: "YES  because", line: 3, text: "/Vote  YES  because" }]);
  });

  it("ignores what cannot be a comment (over 65,536 characters), and stops at 20 commands", () => {
    expect(parseCommands(`/accept\n${"x".repeat(70_000)}`)).toEqual([]);
    expect(parseCommands(Array.from({ length: 50 }, () => "/check").join("\n\n"))).toHaveLength(20);
  });

  it("mayHoldCommand agrees with the parser", () => {
    expect(mayHoldCommand("LGTM, thanks")).toBe(false);
    expect(mayHoldCommand("> /accept")).toBe(false);
    expect(mayHoldCommand("/accept")).toBe(true);
    expect(mayHoldCommand(null)).toBe(false);
  });

  it("never throws, whatever the text (property)", () => {
    const markdownish = fc.array(fc.constantFrom("/accept", "/vote yes", "> ", "```", "~~~", "    ", "<!--", "-->", "\n", "\r\n", "`", "- ", "# ", "text", "/", "\u0000", "😀", "<div>", "</div>"), { maxLength: 60 }).map((parts) => parts.join(""));
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 500 }), fc.string({ unit: "grapheme", maxLength: 200 }), markdownish), (text) => {
        const commands = parseCommands(text);
        for (const c of commands) {
          expect(c.name).toMatch(/^[a-z][a-z0-9-]*$/);
          expect(c.line).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("code spans and inline HTML hide a command line exactly where micromark says (property, micromark as the oracle)", () => {
    // Pieces that open, close and half-close every kind of code span, inline HTML and autolink, with escapes,
    // across lines and paragraphs, in lists and quotes.
    const pieces = fc.constantFrom(
      "<?", "?>", "<!--", "-->", "<!-->", "<!--->", "<!A", "<![CDATA[", "]]>", ">", "<", "</a>", "</a\n>", "<a", "<a ", "<a/>", "<b c>", " d='", " e=\"", "'", "\"", "=", " f=/", " g=x", "/",
      "`", "``", "```", "\\`", "\\<", "\\", "<https://a.b/c>", "<a@b.co>", "<x`y@b.co>", "<https://a`b>", " h=/x", "<x:y", "@", "x ", "\n", "\n\n", "\n/accept", "\n/vote yes", "\n  /check", "- ", "> ", "    ", "-", "*", "[", "]",
    );
    const text = fc.array(pieces, { maxLength: 40 }).map((parts) => `word ${parts.join("")}`);
    fc.assert(
      fc.property(text, (body) => {
        expect(readCommands(body)).toEqual(readCommands(body, { oracle: true }));
      }),
      { numRuns: 5000 },
    );
  });

  it("hostile text that costs micromark seconds: read, and the command found", () => {
    for (const unit of ["<?", "<!--", "<!A", "<![CDATA[", "x<y\n", "x*y\n", "x`y\n", "x&y\n", "x\\y\n", "<a b='", "``"]) {
      const body = `/check\n\nx ${unit.repeat(Math.floor(60_000 / unit.length))}`;
      expect(names(body)).toEqual(["check"]);
    }
    // A comment that closes still hides the command inside it; one that never closes hides nothing.
    expect(names("Note <!--\n/accept\n--> done")).toEqual([]);
    expect(names("Note <!--\n/accept\nand no end")).toEqual(["accept"]);
    expect(names("Note `code\n/accept\n` done")).toEqual([]);
    expect(names("Note <span title='\n/accept\n'> done")).toEqual([]);
    // An unquoted attribute value takes its first character whatever it is; the backticks after an escaped one may open a span.
    expect(names("Note <a h=/x k='\n/accept\n'> done")).toEqual([]);
    expect(names("Note \\``\n/accept\n` done")).toEqual([]);
    expect(names("Note \\`\n/accept\n` done")).toEqual(["accept"]);
  });

  it("a command found is exactly the line's first word (property): `/name rest` round-trips", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/), fc.stringMatching(/^[a-z0-9 ]{0,30}$/), (name, rest) => {
        const [command] = parseCommands(`Some words.\n\n/${name}${rest.trim() ? ` ${rest}` : ""}\n`);
        expect(command).toMatchObject({ name, rest: rest.trim() });
      }),
      { numRuns: 500 },
    );
  });
});

describe("line keys and suggestions", () => {
  it("a line's key ignores case and spacing, not words", () => {
    expect(lineKey({ name: "vote", rest: "Yes  because" })).toBe(lineKey({ name: "vote", rest: "yes because" }));
    expect(lineKey({ name: "vote", rest: "yes" })).not.toBe(lineKey({ name: "vote", rest: "no" }));
  });

  it.each([
    ["acept", "accept"],
    ["aceept", "accept"],
    ["sponser", "sponsor"],
    ["reveiw", "review"],
    ["stauts", "status"],
    ["withdrew", "withdraw"],
  ])("/%s: did you mean /%s?", (typo, meant) => {
    expect(nearest(typo, ["accept", "sponsor", "review", "status", "withdraw", "vote", "help", "check"])).toBe(meant);
  });

  it("nothing near: no suggestion (a slash word that is not ours)", () => {
    for (const word of ["cc", "me", "shrug", "tmp", "usr", "lgtm"]) expect(nearest(word, ["accept", "sponsor", "review", "status", "withdraw", "vote"])).toBeNull();
  });
});
