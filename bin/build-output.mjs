// Where the install build puts what bin/ runs, and the one line that says what to run when it is
// missing. The build is scripts/build.mjs, which `npm ci` (and `npm install`) run as `prepare`:
// bin/ compiles nothing, so a start is a plain Node start and nothing is ever written into the
// install folder at run time. Only Node built-ins here: this runs on every CLI start.
import { existsSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const DIST = join(ROOT, "dist");

/** Each build target of scripts/build.mjs: its folder, the files bin/ needs from it, and its name for people. */
export const TARGETS = {
  /** The CLI (esbuild, code-split: each command a chunk loaded when it runs) and the import's parser thread. */
  cli: { dir: join(DIST, "cli"), files: ["main.mjs", "parse-worker.mjs"], what: "the CLI" },
  /** The UI (Vite), served by `molecule-ops serve` and loaded by the desktop app. */
  renderer: { dir: join(DIST, "renderer"), files: ["index.html"], what: "the UI" },
  /** The desktop app's main process and preload (electron/build-app.mjs). */
  electron: { dir: join(DIST, "electron"), files: ["main.mjs", "preload.cjs"], what: "the desktop app" },
};

export const CLI_MAIN = join(TARGETS.cli.dir, "main.mjs");
export const PARSE_WORKER = join(TARGETS.cli.dir, "parse-worker.mjs");
export const RENDERER_DIR = TARGETS.renderer.dir;
export const ELECTRON_MAIN = join(TARGETS.electron.dir, "main.mjs");

/** null when `target` is built, else what is missing and exactly what to run. */
export function notBuilt(target) {
  const { dir, files, what } = TARGETS[target];
  const missing = files.map((f) => join(dir, f)).find((f) => !existsSync(f));
  if (!missing) return null;
  return (
    `${what} is not built (${relative(ROOT, missing)} is missing): run \`npm run build\` in ${ROOT} ` +
    "(`npm ci` runs it, unless scripts were skipped with --ignore-scripts or the install failed)"
  );
}
