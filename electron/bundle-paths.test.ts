import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { bundlePaths, unpackedPath } from "./bundle-paths";

describe("unpackedPath", () => {
  it("moves a file inside app.asar to app.asar.unpacked", () => {
    expect(unpackedPath("/opt/molecule-ops/resources/app.asar/dist/electron/parse-worker.mjs")).toBe(
      "/opt/molecule-ops/resources/app.asar.unpacked/dist/electron/parse-worker.mjs",
    );
    expect(unpackedPath("C:\\Program Files\\molecule-ops\\resources\\app.asar\\dist\\electron\\w.mjs")).toBe(
      "C:\\Program Files\\molecule-ops\\resources\\app.asar.unpacked\\dist\\electron\\w.mjs",
    );
  });

  it("leaves other paths alone", () => {
    for (const path of ["/work/main/dist/electron/parse-worker.mjs", "/x/app.asarx/y.mjs", "/x/my-app.asar/y.mjs"]) {
      expect(unpackedPath(path)).toBe(path);
    }
  });
});

describe("bundlePaths", () => {
  it("finds the preload, the parser thread and the renderer beside the main bundle", () => {
    const dist = join("/", "work", "main", "dist");
    const paths = bundlePaths(pathToFileURL(join(dist, "electron", "main.mjs")).href);
    expect(paths.preload).toBe(join(dist, "electron", "preload.cjs"));
    expect(paths.parseWorker).toBe(pathToFileURL(join(dist, "electron", "parse-worker.mjs")).href);
    expect(paths.renderer).toBe(join(dist, "renderer"));
  });
});
