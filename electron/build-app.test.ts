import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildElectronApp } from "./build-app.mjs";

let outDir: string;
let built: Awaited<ReturnType<typeof buildElectronApp>>;
beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), "molecule-ops-electron-build-"));
  built = await buildElectronApp({ outDir });
});
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

/** Bare module names a bundle still loads at run time. */
function loads(code: string): string[] {
  const names = new Set<string>();
  for (const m of code.matchAll(/(?:^import .* from |^import |require\()"([^"./][^"]*)"/gm)) names.add(m[1] as string);
  return [...names].filter((n) => !n.startsWith("node:")).sort();
}

describe("buildElectronApp", () => {
  it("builds a CommonJS preload that needs nothing but electron", () => {
    const preload = readFileSync(built.preload, "utf8");
    expect(built.preload).toBe(join(outDir, "preload.cjs"));
    expect(preload).not.toMatch(/^\s*(import|export) /m);
    expect(loads(preload)).toEqual(["electron"]);
    expect(preload).toContain("exposeInMainWorld");
  });

  it("builds an ES module main that keeps electron and the npm packages external", () => {
    const main = readFileSync(built.main, "utf8");
    expect(loads(main)).toEqual(["better-sqlite3", "electron", "undici", "zod"]);
    // The preload's channel names and the renderer's scheme are the same in both bundles.
    expect(main).toContain("molecule-ops:invoke");
    expect(main).toContain('"molecule-ops"');
  });

  it("builds the parser thread as its own module", () => {
    const worker = readFileSync(built.parseWorker, "utf8");
    expect(loads(worker)).toEqual([]);
    expect(worker).toContain("worker_threads");
  });
});
