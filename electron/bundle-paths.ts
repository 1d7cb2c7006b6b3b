import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Where the desktop bundles sit next to each other (dist/electron, built by build-app.mjs) and
 * the renderer beside them (dist/renderer), from the main bundle's own URL. The import's parser
 * thread has no file of its own: main.mjs carries it (see build-app.mjs).
 */
export function bundlePaths(mainUrl: string): { preload: string; renderer: string } {
  const here = dirname(fileURLToPath(mainUrl));
  return {
    preload: join(here, "preload.cjs"),
    renderer: join(here, "..", "renderer"),
  };
}
