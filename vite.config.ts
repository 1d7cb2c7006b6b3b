import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

/**
 * The renderer, built once for both hosts: the desktop app loads it from its own protocol and
 * the browser host serves it, so asset paths are relative (base "./"). No inline script or
 * style reaches the page: the CSP of both hosts forbids them.
 */
export default defineConfig({
  root: "renderer",
  base: "./",
  plugins: [react()],
  build: {
    outDir: "../dist/renderer",
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1500,
  },
});
