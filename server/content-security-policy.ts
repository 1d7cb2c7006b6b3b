/**
 * The same policy as the desktop app's (DESIGN: a strict CSP, no remote content): scripts,
 * styles and connections only from the host itself; no inline script, no framing, no forms.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";
