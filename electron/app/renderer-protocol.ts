import { readFile } from "node:fs/promises";
import { protocol } from "electron";
import { appResponseHeaders, contentTypeOf, notFoundHeaders, rendererFilePath } from "../app-protocol";
import { APP_SCHEME } from "../security-policy";

/**
 * Must run before the app is `ready`. A standard, secure scheme gives the renderer a real origin
 * (app://molecule-ops) for the CSP's 'self' and for the sender and navigation checks, instead of
 * file://, whose pages share one opaque origin with every file on the disk. No `bypassCSP`.
 * `corsEnabled` lets Vite's `<script type="module" crossorigin>` load from the scheme; no other
 * origin is ever loaded, and responses carry no Access-Control-Allow-Origin.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true },
    },
  ]);
}

/** Serves the built renderer from `root`, each response with the CSP; anything else is a 404. */
export function serveRenderer(root: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const path = request.method === "GET" ? rendererFilePath(root, request.url) : null;
    const type = path && contentTypeOf(path);
    if (path && type) {
      try {
        return new Response(new Uint8Array(await readFile(path)), { status: 200, headers: appResponseHeaders(type) });
      } catch {
        // Missing file: the same 404 as a refused path.
      }
    }
    return new Response("not found", { status: 404, headers: notFoundHeaders() });
  });
}
