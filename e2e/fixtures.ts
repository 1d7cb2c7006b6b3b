import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { test as base, expect, type Locator, type Page } from "@playwright/test";
import { type OpsEnv, startOpsEnv } from "./ops-env";
import { testNow } from "./test-clock";

export { expect };

const SHOTS = "test-results/screenshots";
const DOCS = "docs/screenshots";
/** The shots the README shows (the suite saves more under test-results/screenshots). */
const DOC_SHOTS: ReadonlySet<string> = new Set([
  "workspaces",
  "workspaces-dark",
  "console-crash",
  "restart-confirm-cp",
  "restart-done",
  "restart-failed",
  "timeline",
  "timeline-group",
  "offline",
  "settings",
  "command-palette",
]);

/**
 * ops: one emulator + browser host per worker (the suite runs in one worker), shared by the
 * tests that do not break it. app: a page opened at the host's URL with the table loaded.
 * context: every page runs on the test clock (test-clock.ts), like the emulator and the host,
 * installed before any page loads the app; it then runs in real time.
 */
export const test = base.extend<{ app: Page }, { ops: OpsEnv }>({
  context: async ({ context }, use) => {
    await context.clock.install({ time: testNow() });
    await use(context);
  },
  ops: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures take their dependencies as a pattern
    async ({}, use) => {
      const env = await startOpsEnv();
      await use(env);
      await env.close();
    },
    { scope: "worker", timeout: 60_000 },
  ],
  app: async ({ page, ops }, use) => {
    await openApp(page, ops.url);
    await use(page);
  },
});

/** Opens the host's URL and waits for the workspace table's rows. */
export async function openApp(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await expect(workspaceGrid(page)).toBeVisible();
  await expect(workspaceGrid(page).getByRole("row").nth(1)).toBeVisible({ timeout: 20_000 });
}

export function workspaceGrid(page: Page): Locator {
  return page.getByRole("grid", { name: "Workspaces" });
}

/** The table row whose first cell is exactly this workspace name. */
export function workspaceRow(page: Page, name: string): Locator {
  return workspaceGrid(page)
    .getByRole("row")
    .filter({ has: page.getByRole("gridcell", { name, exact: true }).first() });
}

export async function selectWorkspace(page: Page, name: string): Promise<void> {
  await page.getByRole("searchbox", { name: "Filter workspaces by text" }).fill("");
  const row = workspaceRow(page, name);
  await row.scrollIntoViewIfNeeded();
  await row.click();
  await expect(page.getByRole("region", { name: "Workspace detail" }).getByRole("heading", { name })).toBeVisible();
}

/** Saved by the suite; with UPDATE_DOCS_SCREENSHOTS=1 the README's ones also go to docs/screenshots. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
  if (process.env.UPDATE_DOCS_SCREENSHOTS === "1" && DOC_SHOTS.has(name)) {
    mkdirSync(DOCS, { recursive: true });
    await page.screenshot({ path: join(DOCS, `${name}.png`) });
  }
}
