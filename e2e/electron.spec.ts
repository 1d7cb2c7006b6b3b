import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type ElectronApplication, _electron as electron, expect, type Page, test } from "@playwright/test";
import { buildElectronApp } from "../electron/build-app.mjs";
import { APP_ORIGIN } from "../electron/security-policy";
import { type Sim, startSim } from "../sim";
import { clockEnv, testNow } from "./test-clock";

/**
 * The desktop app itself, driven by Playwright's Electron support. It runs only where an
 * Electron binary exists (DESIGN: never fake Electron in tests; gate the spec on the binary):
 * on the build machines the binary cannot be downloaded, and the spec says so and skips.
 */
const root = fileURLToPath(new URL("..", import.meta.url));

/** `require("electron")` under Node is the binary's path, or throws when it was not installed. */
function electronBinary(): string | null {
  try {
    const path: unknown = createRequire(import.meta.url)("electron");
    return typeof path === "string" && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
const rendererBuilt = existsSync(join(root, "dist", "renderer", "index.html"));
const hasDisplay = process.platform !== "linux" || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);

test.describe("desktop app", () => {
  test.skip(!binary, "no Electron binary here (installed with ELECTRON_SKIP_BINARY_DOWNLOAD, or no network)");
  test.skip(!rendererBuilt, "the renderer is not built: run the Vite build into dist/renderer first");
  test.skip(!hasDisplay, "no display for Electron's window: run under xvfb-run");
  test.describe.configure({ mode: "serial" });

  let sim: Sim;
  let dataDir: string;
  let app: ElectronApplication;
  let page: Page;

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    const built = await buildElectronApp();
    // The test clock everywhere (test-clock.ts): the emulator, the main process, the page.
    sim = await startSim({ startAt: testNow() });
    dataDir = mkdtempSync(join(tmpdir(), "molecule-ops-electron-e2e-"));
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined),
    );
    // ELECTRON_RUN_AS_NODE would start a plain Node instead of the app.
    delete inherited.ELECTRON_RUN_AS_NODE;
    app = await electron.launch({
      executablePath: binary as string,
      // Chromium refuses to start its sandbox as root (containers); the page is still sandboxed
      // in Electron's sense (no Node, context isolation), which is what the checks below test.
      args: [...(process.getuid?.() === 0 ? ["--no-sandbox"] : []), built.main],
      env: {
        ...inherited,
        // The emulator's variables define the read-only "environment" profile, which is active.
        ...sim.env,
        // Keep this run's cache and Electron profile out of the user's own (Linux XDG folders).
        MOLECULE_OPS_DB: join(dataDir, "cache.db"),
        XDG_CONFIG_HOME: join(dataDir, "config"),
        XDG_DATA_HOME: join(dataDir, "data"),
        ...clockEnv(),
      },
    });
    page = await app.firstWindow();
    // The window may have loaded before the clock could be installed: load it again on the clock.
    await app.context().clock.install({ time: testNow() });
    await page.reload();
  });

  test.afterAll(async () => {
    await app?.close();
    await sim?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test("shows the environment profile's workspaces", async () => {
    expect(page.url().startsWith(`${APP_ORIGIN}/`)).toBe(true);
    const workspaces = page
      .getByRole("grid", { name: "Workspaces" })
      .or(page.getByRole("table", { name: "Workspaces" }));
    await expect(workspaces).toBeVisible({ timeout: 30_000 });
  });

  test("gives the page no Node and only the four bridge functions", async () => {
    const seen = await page.evaluate(() => {
      const w = window as unknown as Record<string, unknown>;
      const bridge = (w.moleculeOps ?? {}) as Record<string, unknown>;
      return {
        require: typeof w.require,
        process: typeof w.process,
        module: typeof w.module,
        bridge: Object.keys(bridge).sort(),
        functions: Object.values(bridge).every((v) => typeof v === "function"),
      };
    });
    expect(seen).toEqual({
      require: "undefined",
      process: "undefined",
      module: "undefined",
      bridge: ["exportTimeline", "importLog", "invoke", "subscribe"],
      functions: true,
    });
  });

  test("answers the API over IPC as the electron host", async () => {
    const answer = await page.evaluate(() =>
      (window as unknown as { moleculeOps: { invoke(n: string, i: unknown): Promise<unknown> } }).moleculeOps.invoke(
        "app.info",
        {},
      ),
    );
    expect(answer).toMatchObject({ ok: true, result: { host: "electron", credentials: { kind: "safeStorage" } } });
  });

  test("enforces the CSP: no eval, no inline script", async () => {
    const blocked = await page.evaluate(() => {
      try {
        // biome-ignore lint/security/noGlobalEval: the point is that the CSP refuses it.
        eval("1");
        return false;
      } catch {
        return true;
      }
    });
    expect(blocked).toBe(true);
  });

  test("refuses to navigate to an external URL or open a window", async () => {
    const before = page.url();
    await page.evaluate(() => {
      window.location.href = "https://example.com/";
    });
    // file: is refused outright (never handed to the system either), so nothing opens on the host.
    const opened = await page.evaluate(() => window.open("file:///etc/passwd") !== null);
    await page.waitForTimeout(1_000);
    expect(page.url()).toBe(before);
    expect(opened).toBe(false);
    expect(app.windows()).toHaveLength(1);
  });
});
