// The built UI's folder, for `serve` run from TypeScript sources (cli/commands/serve.ts imports
// this when no launcher set globalThis.moleculeOpsEnsureRenderer). It builds nothing: the UI is
// built at install (scripts/build.mjs); a missing build is an error that says what to run.
import { notBuilt, RENDERER_DIR } from "./build-output.mjs";

export { RENDERER_DIR };

/** Returns the folder of the built renderer; throws, saying what to run, when it is not built. */
export async function ensureRenderer() {
  const missing = notBuilt("renderer");
  if (missing) throw new Error(missing);
  return RENDERER_DIR;
}
