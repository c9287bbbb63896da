import { failStep, githubAction } from "./action.js";
import type { Io } from "../log.js";

/**
 * The Action's entry (bundled into dist/index.js): real stdout/stderr and the
 * exit code. Whatever escapes (an error thrown later from a timer or a
 * socket, a rejected promise nobody awaited) still fails the step the same
 * way: one `::error::` line, the outputs, exit 1; never a bare stack trace.
 */
const io: Io = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
};
const fail = (error: unknown) => {
  failStep(error, io);
  process.exit(1);
};
process.on("uncaughtException", fail);
process.on("unhandledRejection", fail);
try {
  process.exitCode = await githubAction(io);
} catch (error) {
  fail(error);
}
