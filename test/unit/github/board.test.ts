import { describe, expect, it } from "vitest";
import { sweep } from "../../../src/github/sweep.js";
import { GitHubFake, WIF_PATH, WIF_RENAMED } from "../../helpers/github-fake/index.js";
import { testOctokit, useNock } from "../../helpers/octokit.js";

/**
 * The maintainers' project board (Projects v2) kept in step with each SEP:
 * the PR added as an item, its Status field set to the option of its state;
 * what stops that (a permission, a renamed option) said in the check run.
 */

useNock();

const quiet = { info() {}, warn() {} };
const CONFIG = "project:\n  owner: modelcontextprotocol\n  number: 7\n  field: Status\n  options: { proposal: Awaiting Sponsor, in-review: In Review }\n";
const OPTIONS = ["Awaiting Sponsor", "Draft", "In Review", "Accepted", "Final", "Dormant"];

function board(o: { options?: string[]; access?: "write" | "read" | "none" } = {}) {
  const fake = new GitHubFake({ changes: { [WIF_PATH]: WIF_RENAMED }, config: CONFIG }).install();
  fake.addProject(7, o.options ?? OPTIONS);
  fake.projectAccess = o.access ?? "write";
  return fake;
}
const run = (fake: GitHubFake) => sweep(testOctokit(), fake.owner, fake.repo, { dryRun: false, now: () => new Date("2026-11-21T12:00:00Z"), log: quiet });
const boardWrites = (fake: GitHubFake) => fake.calls("write").filter((c) => c.includes("SepProject"));

describe("the project board", () => {
  it("puts the SEP on the board with its state's option (the rules' name for it), once", async () => {
    const fake = board();
    await run(fake);
    expect(fake.boardOption(1933, 7)).toBe("Awaiting Sponsor");
    expect(boardWrites(fake)).toEqual(["POST /graphql SepProjectAdd", "POST /graphql SepProjectSet"]);
    fake.resetRequests();
    const again = await run(fake);
    expect(again.due).toEqual([]);
    expect(fake.calls("write")).toEqual([]);
  });

  it("a card someone moved is put back by the next sweep, in one write", async () => {
    const fake = board();
    await run(fake);
    const project = fake.projects[0]!;
    project.items[0]!.values[project.fields[0]!.id] = project.fields[0]!.options.find((o) => o.name === "Accepted")!.id;
    fake.resetRequests();
    const report = await run(fake);
    expect(report.due.map((d) => d.reasons)).toEqual([["the project board does not show its status"]]);
    expect(fake.calls("write")).toEqual(["POST /graphql SepProjectSet"]);
    expect(fake.boardOption(1933, 7)).toBe("Awaiting Sponsor");
  });

  it("an option renamed on the board: the item is still added, its field left alone, and the check says what to fix", async () => {
    const fake = board({ options: ["Needs Sponsor", "Draft", "In Review"] });
    await run(fake);
    expect(fake.boardOption(1933, 7)).toBeNull(); // on the board, no option set
    expect(boardWrites(fake)).toEqual(["POST /graphql SepProjectAdd"]);
    expect(fake.latestCheck()!.summary).toContain("has no option `Awaiting Sponsor` in its `Status` field");
    expect(fake.latestCheck()!.conclusion).toBe("success"); // the SEP itself is fine
    fake.resetRequests();
    await run(fake);
    expect(fake.calls("write")).toEqual([]);
  });

  it.each([
    ["no access to the organisation's projects", "none" as const, "The project board could not be read"],
    ["read-only access", "read" as const, "sep-bot may not edit the project modelcontextprotocol#7"],
  ])("%s: everything else is done, the check says why the board is not", async (_name, access, note) => {
    const fake = board({ access });
    const report = await run(fake);
    expect(report.failed).toEqual([]);
    expect(boardWrites(fake)).toEqual([]);
    expect(fake.pr.labels).toEqual(["SEP", "proposal"]);
    expect(fake.latestCheck()!.summary).toContain(note);
    fake.resetRequests();
    expect((await run(fake)).due).toEqual([]);
    expect(fake.calls("write")).toEqual([]);
  });

  it("a state the rules do not map uses the option named like the state (Draft)", async () => {
    const fake = board();
    fake.pr.labels.push("draft");
    fake.push({ [WIF_PATH]: WIF_RENAMED.replace(/- \*\*Sponsor\*\*:.*$/m, "- **Sponsor**: Grace Hopper (@grace)") }, "grace");
    fake.pr.assignees.push("grace");
    await run(fake);
    expect(fake.boardOption(1933, 7)).toBe("Draft");
  });
});
