import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

/**
 * Builds the UI and the CLI bundles once, before any test starts a host: hosts started in
 * parallel must not race to rebuild dist/ (each `serve` rebuilds when the sources are newer).
 */
export default function globalSetup(): void {
  if (!existsSync("/usr/bin/chromium")) {
    throw new Error("e2e: /usr/bin/chromium is missing; install Debian's chromium (apt-get install chromium)");
  }
  const run = (args: string[]) => {
    const r = spawnSync(process.execPath, args, { stdio: "inherit" });
    if (r.status !== 0) throw new Error(`e2e setup: node ${args.join(" ")} exited ${r.status}`);
  };
  run(["bin/ensure-renderer.mjs"]);
  run([
    "--input-type=module",
    "-e",
    "const m = await import('./bin/ensure-bundle.mjs'); await m.ensureBundle('cli'); await m.ensureBundle('parse-worker');",
  ]);
}
