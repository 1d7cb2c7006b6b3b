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
      // Component tests: each says `// @vitest-environment happy-dom` (the rest run in Node).
      "renderer/**/*.test.tsx",
      "bench/**/*.test.ts",
    ],
    exclude: ["node_modules/**", "e2e/**"],
    // Tests run the CLI as installed (bin/ runs dist/): rebuild what is older than its sources.
    globalSetup: ["scripts/vitest-global-setup.mjs"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
  },
});
