import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/**
 * Where the desktop bundles sit next to each other (dist/electron, built by build-app.mjs) and
 * the renderer beside them (dist/renderer), from the main bundle's own URL.
 */
export function bundlePaths(mainUrl: string): { preload: string; parseWorker: string; renderer: string } {
  const here = dirname(fileURLToPath(mainUrl));
  return {
    preload: join(here, "preload.cjs"),
    parseWorker: pathToFileURL(unpackedPath(join(here, "parse-worker.mjs"))).href,
    renderer: join(here, "..", "renderer"),
  };
}

/**
 * A worker thread reads its script from the real disk, not through Electron's app.asar layer
 * (electron/electron#22446), so in a packaged app the parser thread is loaded from
 * app.asar.unpacked, where electron-builder.yml's asarUnpack puts it. Outside an asar: unchanged.
 */
export function unpackedPath(path: string): string {
  return path.replace(/([\\/])app\.asar(?=[\\/])/, "$1app.asar.unpacked");
}
