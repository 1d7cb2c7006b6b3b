/**
 * The renderer's Content-Security-Policy (DESIGN "Electron security": a strict CSP, no remote
 * content), sent by both hosts: the desktop app's protocol handler (electron/app-protocol.ts) and
 * the browser host (server/browser-host.ts). One definition, so the two cannot drift apart.
 *
 * Only the app's own files: no inline script or style, no eval, no remote anything, no plugins,
 * no <base> rewriting, never framed, no form posts. `data:` images only (icons inlined by Vite).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join("; ");
