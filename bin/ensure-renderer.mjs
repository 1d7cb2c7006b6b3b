// Builds dist/renderer with Vite when any renderer source is newer than the build, so
// `npm start` and `molecule-ops serve` work straight after `npm ci` with no separate step.
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const RENDERER_DIR = join(root, "dist", "renderer");

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Returns the folder of the built renderer, building it first when stale. */
export async function ensureRenderer({ quiet = false } = {}) {
  const index = join(RENDERER_DIR, "index.html");
  const sources = Math.max(
    newest(join(root, "renderer")),
    statSync(join(root, "vite.config.ts")).mtimeMs,
    statSync(join(root, "package.json")).mtimeMs,
  );
  if (!existsSync(index) || statSync(index).mtimeMs < sources) {
    if (!quiet) process.stderr.write("molecule-ops: building the UI (first start, or its sources changed)…\n");
    const { build } = await import("vite");
    await build({ configFile: join(root, "vite.config.ts"), logLevel: "warn", root: join(root, "renderer") });
  }
  return RENDERER_DIR;
}

if (import.meta.url === `file://${process.argv[1]}`) await ensureRenderer();
