import { parseArgs } from "node:util";
import { COMMAND_LINE, type Caller } from "../caller.js";
import type { Io } from "../log.js";
import { writeSummary } from "../step-summary.js";
import { chatAnnouncer, ChatError, chatTarget } from "../../notify/chat.js";
import { digest } from "../../github/digest.js";
import { UsageError } from "./files.js";
import { connectToGitHub, failing, repoOf } from "./connect.js";

/** `sep-bot digest`: the weekly digest, printed, or kept as the week's issue (and announced), from a terminal or a workflow. */

export const DIGEST_HELP = `Usage: sep-bot digest --repo owner/name [--dry-run | --post]

Renders the weekly digest for maintainers (markdown). --dry-run (the
default) prints it; --post keeps it as this ISO week's issue (labelled, found
by a hidden marker: a second run the same week edits it; two runs at once
keep the lowest-numbered issue and close the other as a duplicate) and, when
SEP_BOT_CHAT_WEBHOOK is set (Discord or Slack incoming webhook; set
SEP_BOT_CHAT_FORMAT=discord|slack if the host does not say), announces it
there once a week. In a workflow, the digest is also the step's summary
(GITHUB_STEP_SUMMARY).

Options:
  --repo <owner/name>  the repository (default: GITHUB_REPOSITORY)
  --dry-run            print the digest, write nothing (default)
  --post               create or update the week's issue
  -h, --help           show this help

Authentication: as for \`sep-bot sweep\`.

Exit status: 0 done, 1 GitHub failed, 2 usage or setup error.
`;

export async function digestCommand(args: string[], io: Io, env: NodeJS.ProcessEnv = process.env, caller: Caller = COMMAND_LINE): Promise<number> {
  const { values } = parseArgs({ args, options: { repo: { type: "string" }, "dry-run": { type: "boolean" }, post: { type: "boolean" }, help: { type: "boolean", short: "h" } } });
  if (values.help) {
    io.out(DIGEST_HELP);
    return 0;
  }
  if (values.post && values["dry-run"]) throw new UsageError("--post and --dry-run exclude each other");
  const { owner, repo } = repoOf(values.repo, env);
  let chat = null;
  try {
    chat = values.post ? chatTarget(env) : null;
  } catch (error) {
    if (error instanceof ChatError) throw new UsageError(error.message);
    throw error;
  }
  const github = await failing("digest", io, caller, () => connectToGitHub(owner, repo, io, env));
  if (!github) return 1;
  const { octokit, log } = github;
  const result = await failing("digest", io, caller, () => digest(octokit, owner, repo, { post: values.post === true, announce: chat ? chatAnnouncer(chat) : null, log }));
  if (!result) return 1;
  // The digest is sep-bot's own markdown, escaped for an issue: the step summary shows it as it is.
  if (!values.post) {
    io.out(result.markdown.endsWith("\n") ? result.markdown : `${result.markdown}\n`);
    writeSummary(env, io, result.markdown);
    return 0;
  }
  if (!result.issue) return 0; // (only the server's lock leaves it to another run)
  const duplicates = result.closedDuplicates.length ? `; closed ${result.closedDuplicates.map((n) => `#${n}`).join(", ")} as duplicate${result.closedDuplicates.length === 1 ? "" : "s"} of it` : "";
  io.out(`${result.title}: issue #${result.issue.number} ${result.issue.action} (${result.issue.url})${duplicates}${result.chat ? `; chat ${result.chat}` : ""}\n`);
  writeSummary(env, io, `> Issue #${result.issue.number} ${result.issue.action}${result.chat ? `; chat ${result.chat}` : ""}.\n\n${result.markdown}`);
  if (result.chat === "failed") io.err(`sep-bot: digest: issue #${result.issue.number} ${result.issue.action}, but telling the chat failed (the warning above says why) and is not retried this week: share the issue there yourself\n`);
  return result.chat === "failed" ? 1 : 0;
}
