// Bundles the desktop app with esbuild into dist/electron:
//   main.mjs          the main process (ES module); npm packages stay external and load from
//                     node_modules (better-sqlite3 is native and must be the Electron build)
//   preload.cjs       the sandboxed preload: CommonJS, because sandboxed preloads cannot be ES
//                     modules; everything but "electron" is bundled in
//   parse-worker.mjs  the import's parser thread, which main points core/provlog/ingest.ts at
// "electron" stays external in all of them: it is provided by the Electron runtime.
// Run directly (node electron/build-app.mjs) or import buildElectronApp().
import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Builds the three bundles into `outDir` (default dist/electron); returns their paths. */
export async function buildElectronApp({ outDir = join(root, "dist", "electron") } = {}) {
  mkdirSync(outDir, { recursive: true });
  const common = { bundle: true, logLevel: "error", legalComments: "none", absWorkingDir: root };
  const forNode = {
    ...common,
    platform: "node",
    format: "esm",
    // Electron 41 runs Node 24; node22 keeps the output plain for any Electron this side of it.
    target: "node22",
    packages: "external",
    external: ["electron"],
    outExtension: { ".js": ".mjs" },
    outdir: outDir,
  };
  await Promise.all([
    build({ ...forNode, entryPoints: { main: join(root, "electron/app/main.ts") } }),
    build({ ...forNode, entryPoints: { "parse-worker": join(root, "core/provlog/parse-worker.ts") } }),
    build({
      ...common,
      entryPoints: { preload: join(root, "electron/app/preload.ts") },
      platform: "browser",
      format: "cjs",
      target: "es2023",
      external: ["electron"],
      outExtension: { ".js": ".cjs" },
      outdir: outDir,
    }),
  ]);
  return {
    main: join(outDir, "main.mjs"),
    preload: join(outDir, "preload.cjs"),
    parseWorker: join(outDir, "parse-worker.mjs"),
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const built = await buildElectronApp();
  console.log(`built ${Object.values(built).join(", ")}`);
}
