import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The packed-tarball test installs the package: its own run (`npm run test:package`, in .ci/run).
    exclude: ["test/package/**", "node_modules/**"],
    globalSetup: ["test/global-setup.ts"],
    setupFiles: ["test/setup.ts"],
    pool: "forks",
    // Most slow tests wait (on processes, Redis, paced requests), not compute: more workers than cores.
    maxWorkers: 3,
    isolate: false,
    // A bound for a hung test, not a speed check: a busy machine takes several times longer than an idle one,
    // and no test may fail for that (speed is measured by `npm run bench`, never asserted).
    testTimeout: 90_000,
    hookTimeout: 90_000,
  },
});
