#!/usr/bin/env node
// The CLI runs from a bundle that is rebuilt when its TypeScript sources change, so
// `npx molecule-ops` works straight after `npm ci` with no separate build step.
import { ensureBundle } from "./ensure-bundle.mjs";

const cli = await ensureBundle("cli");
// Threads the CLI starts are bundles of their own; tell it where (see core/provlog/ingest.ts).
globalThis.moleculeOpsWorkers = { parse: await ensureBundle("parse-worker") };
// `serve` builds the UI on demand; the builder lives beside this launcher, outside the bundle.
globalThis.moleculeOpsEnsureRenderer = async () => (await import("./ensure-renderer.mjs")).ensureRenderer();
await import(cli);
