import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, sep } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTENT_SECURITY_POLICY } from "../core/api/content-security-policy";
import { appResponseHeaders, contentTypeOf, notFoundHeaders, rendererFilePath } from "./app-protocol";
import { APP_ORIGIN } from "./security-policy";

let base: string;
let root: string;
beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), "molecule-ops-renderer-"));
  root = join(base, "renderer");
  mkdirSync(join(root, "assets"), { recursive: true });
  writeFileSync(join(root, "index.html"), "<!doctype html>");
  writeFileSync(join(root, "assets", "index-4f2a.js"), "");
  writeFileSync(join(base, "secret.json"), "{}");
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe("rendererFilePath", () => {
  it("maps the app's URLs to files of the built renderer", () => {
    expect(rendererFilePath(root, `${APP_ORIGIN}/`)).toBe(join(root, "index.html"));
    expect(rendererFilePath(root, APP_ORIGIN)).toBe(join(root, "index.html"));
    expect(rendererFilePath(root, `${APP_ORIGIN}/index.html?x=1#y`)).toBe(join(root, "index.html"));
    expect(rendererFilePath(root, `${APP_ORIGIN}/assets/index-4f2a.js`)).toBe(join(root, "assets", "index-4f2a.js"));
    expect(rendererFilePath(root, `${APP_ORIGIN}/assets/with%20space.css`)).toBe(
      join(root, "assets", "with space.css"),
    );
  });

  it.each([
    "/..%2Fsecret.json",
    "/assets/..%2F..%2Fsecret.json",
    "/..%5Csecret.json",
    "/assets/%2e%2e%2f%2e%2e%2fsecret.json",
    "/index.html%00.js",
    "/%E0%A4%A.js",
  ])("refuses the encoded escape or malformed path %s", (path) => {
    expect(rendererFilePath(root, `${APP_ORIGIN}${path}`)).toBeNull();
  });

  it.each(["/../secret.json", "/%2e%2e/secret.json", "/%2Fetc%2Fpasswd.json", "/assets/../../../secret.json"])(
    "keeps %s inside the renderer folder (the URL parser already folded its dots)",
    (path) => {
      const file = rendererFilePath(root, `${APP_ORIGIN}${path}`);
      expect(file?.startsWith(`${root}${sep}`)).toBe(true);
    },
  );

  it("refuses other hosts and schemes", () => {
    for (const url of [
      "app://molecule-ops.evil/index.html",
      "app://evil@molecule-ops/index.html",
      "file:///index.html",
      "https://molecule-ops/index.html",
    ]) {
      expect(rendererFilePath(root, url)).toBeNull();
    }
  });

  it("serves only the renderer's kinds of file", () => {
    expect(rendererFilePath(root, `${APP_ORIGIN}/assets/run.sh`)).toBeNull();
    expect(rendererFilePath(root, `${APP_ORIGIN}/assets`)).toBeNull();
    expect(rendererFilePath(root, `${APP_ORIGIN}/.env`)).toBeNull();
  });
});

describe("response headers", () => {
  it("carry the CSP and no-sniff on every response, found or not", () => {
    for (const headers of [appResponseHeaders("text/html; charset=utf-8"), notFoundHeaders()]) {
      expect(headers["content-security-policy"]).toBe(CONTENT_SECURITY_POLICY);
      expect(headers["x-content-type-options"]).toBe("nosniff");
    }
  });

  it("name the content types of a Vite build", () => {
    expect(contentTypeOf("/r/index.html")).toBe("text/html; charset=utf-8");
    expect(contentTypeOf("/r/assets/a.JS")).toBe("text/javascript; charset=utf-8");
    expect(contentTypeOf("/r/assets/a.css")).toBe("text/css; charset=utf-8");
    expect(contentTypeOf("/r/assets/font.woff2")).toBe("font/woff2");
    expect(contentTypeOf("/r/assets/a.exe")).toBeNull();
  });
});
