import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { bundlePaths } from "./bundle-paths";

describe("bundlePaths", () => {
  it("finds the preload and the renderer beside the main bundle, and no parser file", () => {
    const dist = join("/", "work", "main", "dist");
    const paths = bundlePaths(pathToFileURL(join(dist, "electron", "main.mjs")).href);
    expect(paths).toEqual({ preload: join(dist, "electron", "preload.cjs"), renderer: join(dist, "renderer") });
  });

  it("inside a packaged app, everything stays in app.asar (nothing points at app.asar.unpacked)", () => {
    const main = join("/", "opt", "molecule-ops", "resources", "app.asar", "dist", "electron", "main.mjs");
    for (const path of Object.values(bundlePaths(pathToFileURL(main).href))) {
      expect(path).toContain(`${join("resources", "app.asar")}`);
      expect(path).not.toContain("app.asar.unpacked");
    }
  });
});
