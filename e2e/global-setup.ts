import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

/**
 * The hosts the specs start run the install build (dist/cli, dist/renderer: `npm ci` runs
 * scripts/build.mjs as `prepare`); bin/ never compiles. This rebuilds, once and before any host
 * starts, only what is older than its sources, so a developer who edited them tests what they
 * edited, and a fresh install (CI) rebuilds nothing.
 */
export default function globalSetup(): void {
  if (!existsSync("/usr/bin/chromium")) {
    throw new Error("e2e: /usr/bin/chromium is missing; install Debian's chromium (apt-get install chromium)");
  }
  const r = spawnSync(process.execPath, ["scripts/build.mjs", "--if-stale", "cli", "renderer"], { stdio: "inherit" });
  if (r.status !== 0) throw new Error(`e2e setup: node scripts/build.mjs --if-stale exited ${r.status}`);
}
