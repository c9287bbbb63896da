/**
 * Work started and not finished yet (a sweep, a site read), so that a stop
 * can wait for it: `track` each promise as it starts; `settled` resolves once
 * every one tracked so far has finished, whether it succeeded or not.
 */
export function inFlight(): { track(work: Promise<unknown>): void; settled(): Promise<void> } {
  const running = new Set<Promise<unknown>>();
  return {
    track(work) {
      const done: Promise<unknown> = work.then(
        () => running.delete(done),
        () => running.delete(done),
      );
      running.add(done);
    },
    settled: async () => void (await Promise.all(running)),
  };
}
