import { parseArgs } from "node:util";
import type { Io } from "./log.js";
import { checkPaths, readSep } from "./cli/check.js";
import { expandPaths, UsageError } from "./cli/files.js";
import { FORMATS, formatGithub, formatJson, formatText, type Format } from "./cli/format.js";
import { formatSepText, sepSummary } from "./cli/parse.js";
import { RulesError } from "../rules/load.js";
import { rulesFile } from "./cli/rules-file.js";

/** The `sep-bot` command line. `main` returns the exit code so tests can run it in-process. */

export type { Io };

const HELP = {
  main: `Usage: sep-bot <command> [options]

Commands:
  check [paths...]   lint SEP files or directories (default: seps/)
  parse <file>...    print what sep-bot reads from SEP files
  conformance <file> trace a SEP's requirements to its conformance traceability file
  sweep              reconcile every SEP pull request that needs it (reminders, dormancy)
  digest             render or post the weekly maintainer digest
  site               write the SEP index and pipeline dashboard as a static site
  serve              run the GitHub App (see docs/operating.md)
  action             run the event of a GitHub Actions workflow (see docs/operating.md)

Run \`sep-bot <command> --help\` for a command's options.
`,
  check: `Usage: sep-bot check [paths...] [--format text|json|github] [--rules file]

Lints SEP files. A directory means every *.md in it except README.md and
TEMPLATE.md. With no path, checks seps/.

Options:
  --format <f>   text (compiler style, default), json, or github (workflow annotations)
  --rules <file> a rules override, like a repository's .github/sep-bot.yml
  -h, --help     show this help

Exit status: 0 no errors (warnings allowed), 1 errors found, 2 usage or read error.
`,
  parse: `Usage: sep-bot parse <file>... [--json] [--rules file]

Prints the model sep-bot reads from each SEP: number, title, status, type,
authors, sponsors, PR, sections. With --json, one JSON object per line;
unknown or missing values are null.

Exit status: 0 read, 2 usage or read error.
`,
};

function check(args: string[], io: Io): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { format: { type: "string", default: "text" }, rules: { type: "string" }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) {
    io.out(HELP.check);
    return 0;
  }
  const format = values.format as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(", ")} (got "${values.format}")`);
  const rules = rulesFile(values.rules);
  const reports = checkPaths(positionals.length ? positionals : [rules.sepDirectory], rules);
  io.out(format === "json" ? formatJson(reports) : format === "github" ? formatGithub(reports) : formatText(reports));
  for (const r of reports) if (r.error) io.err(`sep-bot: ${r.path}: ${r.error}\n`);
  if (reports.some((r) => r.error)) return 2;
  return reports.some((r) => r.findings.some((f) => f.severity === "error")) ? 1 : 0;
}

function parse(args: string[], io: Io): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: "boolean" }, rules: { type: "string" }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) {
    io.out(HELP.parse);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError("parse needs at least one file");
  const rules = rulesFile(values.rules);
  for (const path of expandPaths(positionals, rules)) {
    const sep = readSep(path, rules);
    io.out(values.json ? `${JSON.stringify(sepSummary(sep))}\n` : formatSepText(sep));
  }
  return 0;
}

export async function main(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "check":
        return check(rest, io);
      case "parse":
        return parse(rest, io);
      case "conformance": {
        const { conformanceCommand } = await import("./cli/conformance.js");
        return conformanceCommand(rest, io);
      }
      case "sweep": {
        const { sweepCommand } = await import("./cli/sweep.js");
        return await sweepCommand(rest, io);
      }
      case "digest": {
        const { digestCommand } = await import("./cli/digest.js");
        return await digestCommand(rest, io);
      }
      case "site": {
        const { siteCommand } = await import("./cli/site.js");
        return await siteCommand(rest, io);
      }
      case "serve": {
        const { serve } = await import("./server/server.js");
        return await serve(rest, io);
      }
      case "action": {
        const { action, ActionError } = await import("./action/event.js");
        try {
          return await action(rest, io);
        } catch (error) {
          if (!(error instanceof ActionError)) throw error;
          io.err(`sep-bot: ${error.message}\n`);
          return 2;
        }
      }
      case undefined:
      case "help":
      case "-h":
      case "--help":
        io.out(HELP.main);
        return command === undefined ? 2 : 0;
      default:
        io.err(`sep-bot: unknown command "${command}"\n\n${HELP.main}`);
        return 2;
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof RulesError) {
      io.err(`sep-bot: ${error.message}\n`);
      return 2;
    }
    if (error instanceof TypeError && "code" in error && String((error as { code: unknown }).code).startsWith("ERR_PARSE_ARGS")) {
      io.err(`sep-bot: ${error.message}\nRun \`sep-bot ${command} --help\` for usage.\n`);
      return 2;
    }
    throw error;
  }
}
