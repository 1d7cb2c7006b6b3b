import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [
      "core/**/*.test.ts",
      "sim/**/*.test.ts",
      "cli/**/*.test.ts",
      "server/**/*.test.ts",
      "electron/**/*.test.ts",
      "renderer/**/*.test.ts",
      "bench/**/*.test.ts",
    ],
    exclude: ["node_modules/**", "e2e/**"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
  },
});
