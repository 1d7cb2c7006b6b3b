import { defineConfig } from "@playwright/test";

/**
 * E2E: the browser host (`molecule-ops serve`) against the emulator, in Debian's Chromium
 * (Playwright's own browser download cannot work on these machines: never `playwright install`).
 * One worker: the machines have two cores, and each worker runs an emulator and a host.
 */
export default defineConfig({
  testDir: "e2e",
  testMatch: "*.spec.ts",
  outputDir: "test-results/playwright",
  globalSetup: "./e2e/global-setup.ts",
  workers: 1,
  retries: 0,
  fullyParallel: false,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    headless: true,
    viewport: { width: 1440, height: 900 },
    actionTimeout: 10_000,
    navigationTimeout: 20_000,
    acceptDownloads: true,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    colorScheme: "light",
    timezoneId: "UTC",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
});
