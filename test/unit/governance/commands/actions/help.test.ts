import { describe, expect, it } from "vitest";
import { one, SPONSORED } from "./run.js";

/** `/help` (actions/help.ts): the commands its author may use here, nothing changed. */

const listed = (text: string) => text.split("\n").filter((l) => l.startsWith("- ")).map((l) => /`\/([a-z-]+)/.exec(l)![1]);

describe("/help", () => {
  it("answers anyone with the commands they may use, and changes nothing", () => {
    const { outcome, initial, final, approved } = one(SPONSORED, "mallory", "/help");
    if (outcome.status !== "help") throw new Error(`not help: ${JSON.stringify(outcome)}`);
    expect(outcome.text).toBe(
      [
        "Commands you may use on this pull request (one per line in a comment; [all commands](https://github.com/modelcontextprotocol/sep-bot/blob/main/docs/commands.md)):",
        "",
        "- `/check`: run the SEP checks again",
        "- `/help`: list the commands you may use here",
      ].join("\n"),
    );
    expect(final).toEqual(initial);
    expect(approved).toBeNull();
  });

  it("each person's own list", () => {
    const list = (login: string) => {
      const { outcome } = one(SPONSORED, login, "/help");
      return outcome.status === "help" ? listed(outcome.text) : [];
    };
    expect(list("pieter")).toEqual(["withdraw", "revive", "check", "fix", "help"]);
    expect(list("lea-lead")).toEqual(["sponsor", "unsponsor", "status", "review", "accept", "reject", "final", "dormant", "revive", "supersede", "vote", "check", "fix", "track", "help"]);
  });

  it("changes nothing, so a closed or merged pull request does not stop it", () => {
    expect(one({ state: "closed", merged: true }, "mallory", "/help").outcome.status).toBe("help");
  });
});
