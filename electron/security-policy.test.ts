import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CONTENT_SECURITY_POLICY } from "../core/api/content-security-policy";
import {
  APP_ORIGIN,
  isAllowedRequest,
  isAppUrl,
  isTrustedSender,
  navigationDecision,
  permissionDecision,
  windowOpenDecision,
} from "./security-policy";

/** URLs that must never count as the app: foreign, look-alike, credential tricks, other schemes. */
const FOREIGN = [
  "https://molecule-ops/",
  "http://molecule-ops/index.html",
  "app://molecule-ops.evil/",
  "app://app.molecule-ops/",
  "app://molecule-ops./",
  "app://molecule-ops%2eevil/",
  "app://molecule-ops:8080/",
  "app://evil/molecule-ops/",
  "app://molecule-ops@evil/",
  "app://evil@molecule-ops/",
  "app://user:pass@molecule-ops/",
  "app:molecule-ops",
  "app:///molecule-ops/",
  "APP://MOLECULE-OPS/",
  "apps://molecule-ops/",
  "file:///molecule-ops/index.html",
  "file:///etc/passwd",
  "javascript:alert(1)",
  "javascript://molecule-ops/%0aalert(1)",
  "data:text/html,<script>alert(1)</script>",
  "blob:app://molecule-ops/0b0e8ad3",
  "about:blank",
  "devtools://devtools/bundled/inspector.html",
  "chrome://settings",
  "https://example.com/app://molecule-ops/",
  "https://example.com/?next=app://molecule-ops/",
];

const MALFORMED = ["", " ", "molecule-ops", "//molecule-ops/", "app://molecule-ops\\evil", "http://[::1", "::"];

describe("isAppUrl", () => {
  it("accepts the app's own pages", () => {
    expect(isAppUrl(`${APP_ORIGIN}/`)).toBe(true);
    expect(isAppUrl(`${APP_ORIGIN}/index.html`)).toBe(true);
    expect(isAppUrl(`${APP_ORIGIN}/assets/index-4f2a.js?x=1#top`)).toBe(true);
    expect(isAppUrl(APP_ORIGIN)).toBe(true);
  });

  it.each(FOREIGN)("refuses %s", (url) => {
    expect(isAppUrl(url)).toBe(false);
  });

  it.each(MALFORMED)("refuses the malformed %j", (url) => {
    expect(isAppUrl(url)).toBe(false);
  });

  it("refuses missing URLs and a malformed app origin", () => {
    expect(isAppUrl(null)).toBe(false);
    expect(isAppUrl(undefined)).toBe(false);
    expect(isAppUrl(`${APP_ORIGIN}/`, "not a url")).toBe(false);
    expect(isAppUrl("app:x", "app:x")).toBe(false);
  });

  it("compares against the origin it is given", () => {
    expect(isAppUrl("http://127.0.0.1:4173/index.html", "http://127.0.0.1:4173")).toBe(true);
    expect(isAppUrl("http://127.0.0.1:4174/index.html", "http://127.0.0.1:4173")).toBe(false);
    expect(isAppUrl("http://localhost:4173/", "http://127.0.0.1:4173")).toBe(false);
  });
});

describe("isTrustedSender", () => {
  it("trusts only a frame showing the app's origin", () => {
    expect(isTrustedSender(`${APP_ORIGIN}/index.html`)).toBe(true);
    for (const url of [...FOREIGN, ...MALFORMED]) expect(isTrustedSender(url)).toBe(false);
  });

  it("does not trust a frame that is gone (senderFrame null after navigation)", () => {
    expect(isTrustedSender(undefined)).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
  });
});

describe("navigationDecision", () => {
  it("allows navigation within the app", () => {
    expect(navigationDecision(`${APP_ORIGIN}/index.html`)).toBe("allow");
    expect(navigationDecision(`${APP_ORIGIN}/?view=timeline`)).toBe("allow");
  });

  it.each([...FOREIGN, ...MALFORMED, "https://example.com/", "http://127.0.0.1:8080/"])("denies %s", (url) => {
    expect(navigationDecision(url)).toBe("deny");
  });
});

describe("windowOpenDecision", () => {
  it("never opens a window, even of the app itself", () => {
    for (const url of [`${APP_ORIGIN}/index.html`, "https://example.com/", "about:blank", ""]) {
      expect(windowOpenDecision(url).action).toBe("deny");
    }
    expect(windowOpenDecision(`${APP_ORIGIN}/index.html`).openExternal).toBeNull();
  });

  it("denies any URL whatever: about:blank, the app's own origin, blobs and srcdoc included", () => {
    const sameOrigin = [
      `${APP_ORIGIN}/`,
      `${APP_ORIGIN}/index.html`,
      `${APP_ORIGIN}/index.html#/settings`,
      `${APP_ORIGIN}/?view=timeline`,
      `${APP_ORIGIN}`,
      `blob:${APP_ORIGIN}/4b0c9c1e-9d1f-4a7b-8f36-2f3c1a0e5d11`,
    ];
    for (const url of [...sameOrigin, "about:blank", "about:blank#x", "about:srcdoc", "", " "]) {
      expect(windowOpenDecision(url)).toEqual({ action: "deny", openExternal: null });
    }
    fc.assert(
      fc.property(
        fc.oneof(
          fc.webUrl({ withFragments: true, withQueryParameters: true }),
          fc.string(),
          fc.constantFrom(...sameOrigin),
        ),
        (url) => {
          expect(windowOpenDecision(url).action).toBe("deny");
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("hands plain http(s) links to the system browser, normalised", () => {
    expect(windowOpenDecision("https://docs.example.com/runbook#restart")).toEqual({
      action: "deny",
      openExternal: "https://docs.example.com/runbook#restart",
    });
    expect(windowOpenDecision("http://Example.COM").openExternal).toBe("http://example.com/");
    // An empty userinfo is dropped by the parser: what is opened carries no "@" at all.
    expect(windowOpenDecision("http://:@example.com/").openExternal).toBe("http://example.com/");
  });

  it.each([
    "file:///etc/passwd",
    "file://server/share/x.exe",
    "javascript:alert(document.cookie)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "ms-msdt:/id PCWDiagnostic",
    "smb://attacker/share",
    "ssh://host",
    "mailto:someone@example.com",
    "slack://open",
    "app://molecule-ops/index.html",
    "https://user:password@example.com/",
    "https://token@example.com/",
    "https://example.com@evil.example/",
    "https://",
    "http:",
    "not a url",
    "",
  ])("does not open %j externally", (url) => {
    expect(windowOpenDecision(url)).toEqual({ action: "deny", openExternal: null });
  });
});

describe("permissionDecision", () => {
  // Every permission Electron 41 names for setPermissionRequestHandler and setPermissionCheckHandler.
  const PERMISSIONS = [
    "clipboard-read",
    "clipboard-sanitized-write",
    "display-capture",
    "fullscreen",
    "geolocation",
    "idle-detection",
    "media",
    "mediaKeySystem",
    "midi",
    "midiSysex",
    "notifications",
    "pointerLock",
    "keyboardLock",
    "openExternal",
    "speaker-selection",
    "storage-access",
    "top-level-storage-access",
    "window-management",
    "unknown",
    "fileSystem",
    "hid",
    "serial",
    "usb",
    "deprecated-sync-clipboard-read",
    "a-permission-added-later",
    "",
  ];

  it.each(PERMISSIONS)("denies %j", (permission) => {
    expect(permissionDecision(permission)).toBe(false);
  });
});

describe("isAllowedRequest", () => {
  it("lets the app's files and blobs, data: images and DevTools through", () => {
    expect(isAllowedRequest(`${APP_ORIGIN}/assets/app.js`)).toBe(true);
    expect(isAllowedRequest(`blob:${APP_ORIGIN}/0b0e8ad3-5f7e-4c1a-9d1e-2f6a7b8c9d0e`)).toBe(true);
    expect(isAllowedRequest("data:image/png;base64,iVBORw0KGgo=")).toBe(true);
    expect(isAllowedRequest("devtools://devtools/bundled/devtools_app.html")).toBe(true);
  });

  it.each([
    "https://example.com/x.js",
    "http://127.0.0.1:8080/api",
    "ws://127.0.0.1:8080/ws",
    "file:///etc/passwd",
    "app://molecule-ops.evil/x.js",
    "chrome-extension://abc/x.js",
    "blob:https://example.com/0b0e8ad3",
    "blob:app://molecule-ops.evil/0b0e8ad3",
    "blob:null/0b0e8ad3",
    "not a url",
  ])("cancels %s", (url) => {
    expect(isAllowedRequest(url)).toBe(false);
  });
});

describe("CONTENT_SECURITY_POLICY", () => {
  it("is the documented policy, with no unsafe source", () => {
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
    );
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe|\*|http:|https:/);
  });
});
