/**
 * Waits until `condition` holds (it may be async), checking every 20 ms; fails
 * with `what` after `ms`. For state that another process or timer changes: the
 * test asserts the state, never how long it took. The bound only catches what
 * never happens: generous, so a loaded machine never reaches it.
 */
export async function until(condition: () => boolean | Promise<boolean>, what = "the condition", ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what} did not hold within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
