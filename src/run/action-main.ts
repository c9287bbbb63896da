import { githubAction } from "./github-action.js";

/** The Action's entry (bundled into dist/index.js): real stdout/stderr and the exit code. */
process.exitCode = await githubAction({
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
