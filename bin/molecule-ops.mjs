#!/usr/bin/env node
// Runs the CLI bundle built at install (`npm ci` runs `prepare`: scripts/build.mjs). Nothing is
// compiled here: a plain Node start, which matters for a CLI that scripts call in loops, and no
// write into the install folder at run time. A missing build is a configuration error (exit 1)
// that says what to run. After editing sources, `npm run build` (the test setups do it when
// sources are newer than the build).
import { pathToFileURL } from "node:url";
import { CLI_MAIN, notBuilt, PARSE_WORKER, RENDERER_DIR } from "./build-output.mjs";

const args = process.argv.slice(2);
const wantsUi = args[0] === "serve" && !args.includes("--help") && !args.includes("-h");
const missing = notBuilt("cli") ?? (wantsUi ? notBuilt("renderer") : null);
if (missing) {
  process.stderr.write(`molecule-ops: ${missing}\n`);
  // With --json, stdout is one JSON document, errors included (docs/cli.md).
  if (args.includes("--json"))
    process.stdout.write(`${JSON.stringify({ error: { code: "Config", message: missing } })}\n`);
  process.exit(1);
}
// Threads the CLI starts are bundles of their own; tell it where (see core/provlog/ingest.ts).
globalThis.moleculeOpsWorkers = { parse: pathToFileURL(PARSE_WORKER).href };
// `serve` asks the launcher for the built UI (checked above).
globalThis.moleculeOpsEnsureRenderer = async () => RENDERER_DIR;
await import(pathToFileURL(CLI_MAIN).href);
