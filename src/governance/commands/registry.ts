import type { CommandAction } from "../../rules/schema.js";
import type { CommandHandler } from "./action.js";
import { check } from "./actions/check.js";
import { fix } from "./actions/fix.js";
import { help } from "./actions/help.js";
import { revive } from "./actions/revive.js";
import { sponsor } from "./actions/sponsor.js";
import { status } from "./actions/status.js";
import { supersede } from "./actions/supersede.js";
import { unsponsor } from "./actions/unsponsor.js";
import { vote } from "./actions/vote.js";
import { track } from "./actions/track.js";

/**
 * The command actions: what each `does:` of a rules command runs.
 *
 * To add one:
 * 1. write `actions/<action>.ts`: a `CommandHandler` (action.ts) with its
 *    help, whether it changes the state, its parsing and what it does;
 * 2. import it and add its line below;
 * 3. add its name to `COMMAND_ACTIONS` in src/rules/schema.ts (the `does:`
 *    values rules may use; until then the line below does not compile);
 * 4. give it a command in rules/default.yml (`does: <action>`, who may use
 *    it, and the summary and args of its help);
 * 5. run `npm run docs` (docs/commands.md), and add
 *    test/unit/governance/commands/actions/<action>.test.ts.
 *
 * A command that only moves the status (`/review`) is rules only: a command
 * in rules/default.yml with `does: status` and `to: <status>`.
 */
export const HANDLERS = {
  sponsor,
  unsponsor,
  status,
  revive,
  supersede,
  vote,
  check,
  fix,
  track,
  help,
} satisfies Record<CommandAction, CommandHandler>;
