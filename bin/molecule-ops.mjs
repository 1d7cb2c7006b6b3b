#!/usr/bin/env node
// The CLI runs from a bundle that is rebuilt when its TypeScript sources change, so
// `npx molecule-ops` works straight after `npm ci` with no separate build step.
import { ensureBundle } from "./ensure-bundle.mjs";

await import(await ensureBundle("cli/main.ts", "cli"));
