import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/** What bin/build-output.mjs calls RENDERER_DIR. */
const RENDERER_DIR = fileURLToPath(new URL("../dist/renderer", import.meta.url));

describe("the UI the hosts serve (dist/renderer)", () => {
  // Vitest runs with NODE_ENV=test, and its setup (re)builds the UI when stale: Vite then took
  // React's development build and dev JSX runtime, several times the render cost at 10,000 rows
  // (scripts/build.mjs now builds the production one whoever runs it).
  it("is React's production build, even when built under vitest", () => {
    const assets = join(RENDERER_DIR, "assets");
    const scripts = readdirSync(assets).filter((f) => f.endsWith(".js"));
    expect(scripts.length).toBeGreaterThan(0);
    for (const f of scripts) {
      const code = readFileSync(join(assets, f), "utf8");
      expect(code, f).not.toContain("jsxDEV");
      expect(code, f).not.toContain("react_stack_bottom_frame");
    }
  });
});
