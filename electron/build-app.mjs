// Bundles the desktop app with esbuild into dist/electron:
//   main.mjs          the main process (ES module); npm packages stay external and load from
//                     node_modules (better-sqlite3 is native and must be the Electron build).
//                     The import's parser thread is built first and carried inside it, as a
//                     data: URL that core/provlog/ingest.ts starts its worker from.
//   preload.cjs       the sandboxed preload: CommonJS, because sandboxed preloads cannot be ES
//                     modules; everything but "electron" is bundled in
// "electron" stays external in all of them: it is provided by the Electron runtime.
//
// Why the parser rides inside main.mjs: Node's worker_threads are documented to take a file path
// or a file: or data: URL; a file inside app.asar is a path that only Electron's patched fs knows,
// and worker scripts were long known not to load from there (electron/electron#22446), so the
// parser used to be unpacked next to app.asar, outside the archive that the asar integrity fuse
// checks: JavaScript the main process runs, outside the signed archive. A data: URL needs no
// file at all (Node loads it as an ES module), so all the JavaScript the main process runs is in
// app.asar, and nothing is unpacked but better-sqlite3's native addon.
// Run directly (node electron/build-app.mjs) or import buildElectronApp().
import { mkdirSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * Builds the two bundles into `outDir` (default dist/electron); returns their paths and the
 * parser thread's data: URL that main.mjs carries.
 */
export async function buildElectronApp({ outDir = join(root, "dist", "electron") } = {}) {
  mkdirSync(outDir, { recursive: true });
  // A parser file left by an earlier build would be packed for nothing.
  rmSync(join(outDir, "parse-worker.mjs"), { force: true });
  // The metafiles list every source read: scripts/build.mjs records them to tell when to rebuild.
  const common = { bundle: true, logLevel: "error", legalComments: "none", absWorkingDir: root, metafile: true };
  const forNode = {
    ...common,
    platform: "node",
    format: "esm",
    // Electron 41 runs Node 24; node22 keeps the output plain for any Electron this side of it.
    target: "node22",
    packages: "external",
    external: ["electron"],
  };
  // The parser imports only Node built-ins, which is all a data: URL module may import.
  const worker = await build({
    ...forNode,
    entryPoints: [join(root, "core/provlog/parse-worker.ts")],
    write: false,
    outfile: join(outDir, "parse-worker.mjs"),
  });
  const workerCode = worker.outputFiles[0]?.text ?? "";
  const parseWorkerUrl = `data:text/javascript;base64,${Buffer.from(workerCode).toString("base64")}`;
  const [main, preload] = await Promise.all([
    build({
      ...forNode,
      entryPoints: { main: join(root, "electron/app/main.ts") },
      define: { MOLECULE_OPS_PARSE_WORKER_URL: JSON.stringify(parseWorkerUrl) },
      outExtension: { ".js": ".mjs" },
      outdir: outDir,
    }),
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
    parseWorkerUrl,
    /** The source files read, relative to the repository. */
    inputs: [...new Set([worker, main, preload].flatMap((r) => Object.keys(r.metafile?.inputs ?? {})))],
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const built = await buildElectronApp();
  console.log(`built ${built.main} (with the parser thread inside), ${built.preload}`);
}
