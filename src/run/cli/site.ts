import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { countRequests } from "../../github/client.js";
import { buildSite, writeSite, type SiteBuild } from "../../github/site.js";
import { COMMAND_LINE, refusal, type Caller } from "../caller.js";
import { errorMessages, type Io } from "../log.js";
import { plural, text, writeSummary } from "../step-summary.js";
import { UsageError } from "./files.js";
import { connectToGitHub, repoOf, type Connect } from "./connect.js";

/**
 * `sep-bot site`: the SEP index and pipeline dashboard as a static site,
 * from the same bulk read as the sweep and the digest (with each open SEP
 * pull request's file at its head) plus one request (the SEP files on the
 * default branch and the votes of the SEPs in review).
 */

export const SITE_HELP = `Usage: sep-bot site --repo owner/name --out DIR

Writes a static site into DIR: index.html (every SEP, open pull requests and
files on the default branch alike, as their files say from the first minute,
with filters and sorting; what waits on a person, most urgent first
(index.html?person=<login>); the pipeline's charts; the agenda of the next
core-maintainer review; every deadline in the next 30 days; what changed),
feed.xml (an Atom feed of new SEPs and status changes), seps.json (the same
data for other tools, format in docs/seps-json.md), site.css, site.js, and a
page per status (status/<id>.html) and per person (people/<login>.html), the
views that work without JavaScript. It works from file:// and under a strict
Content-Security-Policy: nothing is loaded from anywhere else. Writes nothing
on GitHub.

Options:
  --repo <owner/name>  the repository (default: GITHUB_REPOSITORY)
  --out <dir>          where to write the site (created if missing)
  -h, --help           show this help

Authentication: as for \`sep-bot sweep\`: GITHUB_TOKEN (and GITHUB_API_URL,
GITHUB_GRAPHQL_URL when set), or APP_ID with PRIVATE_KEY or PRIVATE_KEY_PATH.

Exit status: 0 written, 1 GitHub failed or the files could not be written,
2 usage or setup error.
`;

export async function siteCommand(
  args: string[],
  io: Io,
  env: NodeJS.ProcessEnv = process.env,
  connect: Connect = connectToGitHub,
  now: () => Date = () => new Date(),
  caller: Caller = COMMAND_LINE,
): Promise<number> {
  const { values } = parseArgs({ args, options: { repo: { type: "string" }, out: { type: "string" }, help: { type: "boolean", short: "h" } } });
  if (values.help) {
    io.out(SITE_HELP);
    return 0;
  }
  if (!values.out) throw new UsageError("--out DIR is needed: where to write the site");
  const out = resolve(values.out);
  const { owner, repo } = repoOf(values.repo, env);
  let requests = () => 0;
  let built: SiteBuild;
  try {
    const { octokit, log } = await connect(owner, repo, io, env);
    requests = countRequests(octokit);
    built = await buildSite(octokit, owner, repo, { now });
    if (built.sweep.configError) log.warn({ repo: `${owner}/${repo}` }, `the repository's rules could not be used, the defaults apply: ${built.sweep.configError}`);
    for (const note of built.sweep.notes) log.warn({ repo: `${owner}/${repo}` }, note);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    // GitHub failing the run (a revoked token, a rate limit, a repository not found): one line, exit 1.
    const next = refusal(error, caller);
    io.err(`sep-bot: site failed: ${errorMessages(error).join("; ")}${next ? `. ${next}` : ""}\n`);
    return 1;
  }
  try {
    await writeSite(out, built.files);
  } catch (error) {
    io.err(`sep-bot: site: cannot write ${out}: ${errorMessages(error).join("; ")}\n`);
    return 1;
  }
  const { seps, agenda, deadlines } = built.data;
  const open = seps.filter((s) => s.pullRequest?.open).length;
  const main = [...built.files.keys()].filter((path) => !path.includes("/"));
  const views = built.files.size - main.length;
  const wrote = `${main.join(", ")}${views ? ` and ${views} view page${views === 1 ? "" : "s"} (status/, people/)` : ""}`;
  io.out(
    `${owner}/${repo}: ${seps.length} SEP${seps.length === 1 ? "" : "s"} (${open} in open pull requests), ${agenda.length} in review, ${deadlines.length} deadline${deadlines.length === 1 ? "" : "s"} in the next 30 days; ` +
      `wrote ${wrote} to ${out} (${requests()} requests).\n`,
  );
  writeSummary(
    env,
    io,
    `### sep-bot site: ${text(`${owner}/${repo}`)}\n\n${plural(seps.length, "SEP")} (${open} in open pull requests, ${agenda.length} in review), ` +
      `${plural(deadlines.length, "deadline")} in the next 30 days. Wrote ${text(wrote)} to ${text(out)}.`,
  );
  return 0;
}
