import { defineConfig } from "vitest/config";

/** `npm run test:package`: the packed tarball, installed as a user installs it (slow: it installs dependencies). */
export default defineConfig({
  test: {
    include: ["test/package/**/*.test.ts"],
    testTimeout: 300_000,
  },
});
