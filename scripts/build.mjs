#!/usr/bin/env node
// The install build: `npm ci` and `npm install` run it as `prepare`, `npm run build` by hand.
// It writes everything bin/ runs, so that nothing is compiled at run time:
//   dist/cli/       the CLI (esbuild; each command a chunk loaded when it runs) and the import's
//                   parser thread (core/provlog/parse-worker.ts), a bundle of its own
//   dist/renderer/  the UI (Vite), served by `molecule-ops serve`, loaded by the desktop app
//   dist/electron/  the desktop app's main process and preload (electron/build-app.mjs)
//
//   node scripts/build.mjs [--if-stale] [cli] [renderer] [electron]     (default: all three)
//
// --if-stale skips a target whose inputs are all older than its last build: the test setups
// (e2e/global-setup.ts, scripts/vitest-global-setup.mjs) use it, so a developer who edits
// sources tests what they edited, while a fresh install rebuilds nothing. Each build records
// its inputs (esbuild's metafile, Vite's module graph) in dist/.inputs/<target>.json, so the
// check is exact — the UI imports core/ too — and costs a few stat calls.
//
// Why esbuild and Vite are dependencies, not devDependencies: `npm ci --omit=dev` runs
// `prepare` too, and must leave a working CLI and UI. Neither is loaded at run time.
//
// Each target is built into a temporary folder and swapped in whole, so a CLI started during a
// rebuild never loads an entry of one build and a chunk of another, and no stale chunk is left.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { DIST, ROOT, TARGETS } from "../bin/build-output.mjs";

const INPUTS_DIR = join(DIST, ".inputs");
/** What every build depends on besides its sources: this script, and the installed packages. */
const COMMON_INPUTS = ["package.json", "scripts/build.mjs", "bin/build-output.mjs", "node_modules/.package-lock.json"];

/** The source files a build read, relative to the repo; packages are covered by node_modules/.package-lock.json. */
function ownFiles(paths) {
  const files = new Set();
  for (const p of paths) {
    if (p.startsWith("\0") || p.includes("?")) continue;
    const abs = isAbsolute(p) ? p : resolve(ROOT, p);
    const rel = relative(ROOT, abs);
    if (rel.startsWith("..") || rel.split(sep).includes("node_modules")) continue;
    files.add(rel.split(sep).join("/"));
  }
  return [...files].sort();
}

const BUILDERS = {
  async cli(outDir) {
    const { build } = await import("esbuild");
    const result = await build({
      entryPoints: { main: join(ROOT, "cli/main.ts"), "parse-worker": join(ROOT, "core/provlog/parse-worker.ts") },
      outdir: outDir,
      outExtension: { ".js": ".mjs" },
      // Commands are imported when they run; their code (and undici's) lives in chunks.
      splitting: true,
      chunkNames: "chunks/[name]-[hash]",
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      packages: "external",
      absWorkingDir: ROOT,
      metafile: true,
      logLevel: "error",
    });
    return Object.keys(result.metafile.inputs);
  },

  async renderer(outDir) {
    const { build } = await import("vite");
    const read = new Set([join(ROOT, "renderer", "index.html"), join(ROOT, "vite.config.ts")]);
    // Vite takes React's build and the JSX runtime from NODE_ENV when it is set: vitest's setup
    // runs this script with NODE_ENV=test, which shipped React's development build (639 KB
    // instead of 386 KB, and several times the render work at 10,000 rows). The install build is
    // the production one, whoever runs it.
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = "production";
    try {
      await buildRenderer(build, outDir, read);
    } finally {
      if (nodeEnv === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = nodeEnv;
    }
    // Copied as they are, never loaded through a plugin.
    const pub = join(ROOT, "renderer", "public");
    if (existsSync(pub)) for (const f of readdirSync(pub, { recursive: true })) read.add(join(pub, f));
    return [...read];
  },

  async electron(outDir) {
    const { buildElectronApp } = await import("../electron/build-app.mjs");
    const built = await buildElectronApp({ outDir });
    return [...built.inputs, "electron/build-app.mjs"];
  },
};

/** The UI with Vite (vite.config.ts), noting every file it reads into `read`. */
async function buildRenderer(build, outDir, read) {
  await build({
    configFile: join(ROOT, "vite.config.ts"),
    root: join(ROOT, "renderer"),
    mode: "production",
    logLevel: "warn",
    build: { outDir, emptyOutDir: true },
    plugins: [
      {
        name: "molecule-ops:record-inputs",
        load(id) {
          read.add(id);
          return null;
        },
        transform(_code, id) {
          read.add(id);
          return null;
        },
      },
    ],
  });
}

function inputsFile(target) {
  return join(INPUTS_DIR, `${target}.json`);
}

/** Why `target` must be built, or null when its last build is newer than every input. */
function staleness(target) {
  const { dir, files } = TARGETS[target];
  if (files.some((f) => !existsSync(join(dir, f)))) return "not built";
  let recorded;
  try {
    recorded = JSON.parse(readFileSync(inputsFile(target), "utf8"));
  } catch {
    return "no record of its inputs";
  }
  for (const file of [...COMMON_INPUTS, ...recorded.inputs]) {
    let mtime;
    try {
      mtime = statSync(join(ROOT, file)).mtimeMs;
    } catch {
      // node_modules/.package-lock.json is absent only in odd installs: nothing to compare.
      if (file.startsWith("node_modules/")) continue;
      return `${file} is gone`;
    }
    if (mtime > recorded.startedAt) return `${file} changed`;
  }
  return null;
}

/** Moves the freshly built `tmp` into place as `dir`; the old build is removed after the swap. */
function swapIn(tmp, dir) {
  const old = `${dir}.old-${process.pid}`;
  try {
    renameSync(dir, old);
  } catch (e) {
    if (e.code !== "ENOENT") throw e;
  }
  try {
    renameSync(tmp, dir);
  } catch (e) {
    // Another build swapped its own in between: that one is as fresh as ours.
    if (e.code !== "ENOTEMPTY" && e.code !== "EEXIST") throw e;
  }
  rmSync(old, { recursive: true, force: true });
}

async function buildTarget(target) {
  const { dir } = TARGETS[target];
  const tmp = join(DIST, `.tmp-${target}-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  // Taken before any source is read: an edit made during the build makes the next check rebuild.
  const startedAt = Date.now();
  try {
    const read = await BUILDERS[target](tmp);
    swapIn(tmp, dir);
    mkdirSync(INPUTS_DIR, { recursive: true });
    writeFileSync(inputsFile(target), `${JSON.stringify({ startedAt, inputs: ownFiles(read) }, null, 1)}\n`);
    return Date.now() - startedAt;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

export async function buildAll({ targets = Object.keys(TARGETS), ifStale = false } = {}) {
  for (const target of targets) {
    if (!Object.hasOwn(BUILDERS, target)) throw new Error(`unknown build target "${target}"`);
    const why = ifStale ? staleness(target) : "requested";
    const out = relative(ROOT, TARGETS[target].dir);
    if (!why) {
      process.stdout.write(`molecule-ops build: ${out} is up to date\n`);
      continue;
    }
    const ms = await buildTarget(target);
    process.stdout.write(`molecule-ops build: ${out} built in ${(ms / 1000).toFixed(1)} s (${why})\n`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(ROOT, "scripts", "build.mjs")) {
  const args = process.argv.slice(2);
  const targets = args.filter((a) => !a.startsWith("--"));
  try {
    await buildAll({ targets: targets.length > 0 ? targets : undefined, ifStale: args.includes("--if-stale") });
  } catch (error) {
    process.stderr.write(`molecule-ops build failed: ${error instanceof Error ? error.message : error}\n`);
    process.exit(1);
  }
}
