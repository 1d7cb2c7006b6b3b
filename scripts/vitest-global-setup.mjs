// Vitest's global setup: several tests run the real CLI (`node bin/molecule-ops.mjs`, see
// cli/run-cli.testkit.ts) and `npm start`, which run the install build (dist/cli, dist/renderer)
// and never compile. Rebuilding here what is older than its sources, once before any test,
// keeps a developer's edits under test; after a fresh `npm ci` nothing is rebuilt.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export default function setup() {
  const script = fileURLToPath(new URL("./build.mjs", import.meta.url));
  const r = spawnSync(process.execPath, [script, "--if-stale", "cli", "renderer"], { stdio: "inherit" });
  if (r.status !== 0) throw new Error(`vitest setup: node scripts/build.mjs --if-stale exited ${r.status}`);
}
