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
    testTimeout: 20_000,
  },
});
