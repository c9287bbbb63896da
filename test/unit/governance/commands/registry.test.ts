import { describe, expect, it } from "vitest";
import { HANDLERS } from "../../../../src/governance/commands/registry.js";
import { COMMAND_ACTIONS } from "../../../../src/rules/schema.js";
import { rules } from "../../../helpers/sep.js";

/** The registry: one handler for each `does:` the rules may name, and each handler's help as the default rules word it. */

describe("the command registry", () => {
  it("has a handler for exactly the actions the rules accept (COMMAND_ACTIONS)", () => {
    expect(Object.keys(HANDLERS).sort()).toEqual([...COMMAND_ACTIONS].sort());
  });

  it("each action's help is what /help and docs/commands.md say of the default command of its name", () => {
    for (const [action, handler] of Object.entries(HANDLERS)) {
      const command = rules.commands[action];
      expect(command?.does, action).toBe(action);
      expect({ args: command!.args, summary: command!.summary }, action).toEqual({ args: handler.help.args, summary: handler.help.summary });
    }
  });
});
