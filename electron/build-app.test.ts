import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importProvlog } from "../core/provlog/ingest";
import { Store } from "../core/store/store";
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

  it("leaves nothing beside the two bundles: the parser thread rides inside main.mjs, as a data: URL", () => {
    expect(readdirSync(outDir).sort()).toEqual(["main.mjs", "preload.cjs"]);
    expect(built.parseWorkerUrl).toMatch(/^data:text\/javascript;base64,[A-Za-z0-9+/]+=*$/);
    expect(readFileSync(built.main, "utf8")).toContain(JSON.stringify(built.parseWorkerUrl));
    const worker = Buffer.from(built.parseWorkerUrl.slice(built.parseWorkerUrl.indexOf(",") + 1), "base64").toString();
    // A data: URL module may import Node built-ins only: the parser needs nothing else.
    expect(loads(worker)).toEqual([]);
    expect(worker).toContain("worker_threads");
  });

  it("the parser carried in main.mjs imports a real log on a real worker thread, started from its data: URL", async () => {
    const dir = mkdtempSync(join(tmpdir(), "molecule-ops-electron-worker-"));
    const globals = globalThis as { moleculeOpsWorkers?: { parse?: string } };
    const before = globals.moleculeOpsWorkers;
    const store = Store.open(join(dir, "cache.db"));
    try {
      const ws = "7d3f0c1e-2b4a-4c5d-8e9f-0a1b2c3d4e5f";
      const lines = [];
      for (let i = 0; i < 500; i++) {
        const ts = `2026/05/05 12:${String(Math.floor(i / 60) % 60).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}`;
        const instance = `i-${i.toString(16).padStart(17, "0")}`;
        lines.push(`${ts} prose ${i}`);
        lines.push(
          `${ts} evt: provision.ec2_started {"instance_id":"${instance}","runtime":"langgraph","state":"pending","tier":2,"workspace_id":"${ws}"}`,
        );
      }
      const log = join(dir, "server.log");
      writeFileSync(log, `${lines.join("\n")}\n`);
      // What main.ts does before any import: the parser is this bundle's data: URL.
      expect(built.parseWorkerUrl).toMatch(/^data:text\/javascript;base64,/);
      globals.moleculeOpsWorkers = { parse: built.parseWorkerUrl };
      const report = await importProvlog(store, log, { parallel: true, batchSize: 50 });
      expect(report).toMatchObject({ lines: 1000, events: 500, added: 500 });
      expect(store.resolveInstanceId(ws)).toBe(`i-${(499).toString(16).padStart(17, "0")}`);
    } finally {
      globals.moleculeOpsWorkers = before;
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("electron-builder.yml", () => {
  it("unpacks no JavaScript from app.asar: only the native addon", () => {
    const config = readFileSync(join(import.meta.dirname, "..", "electron-builder.yml"), "utf8");
    const block = /^asarUnpack:\n((?:[ \t]+(?:#.*|- .*)\n)+)/m.exec(config);
    expect(block).not.toBeNull();
    const entries = [...(block?.[1] ?? "").matchAll(/^[ \t]+- "?([^"\n]+)"?$/gm)].map((m) => m[1]);
    expect(entries).toEqual(["**/node_modules/better-sqlite3/build/Release/*.node"]);
    expect(config).toMatch(/^asar: true$/m);
  });
});
