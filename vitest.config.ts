import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    // Two files at a time on these 2-core machines (vitest's default is one here): the
    // namespace labs of different files use different prefixes and never meet.
    maxWorkers: 2,
  },
});
