import { main } from "./cli.js";

/** Process entry: real stdout/stderr and the exit code. */
const code = await main(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
process.exitCode = code;
