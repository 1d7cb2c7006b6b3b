/**
 * The browser host sends the desktop app's own policy (DESIGN: a strict CSP, no remote
 * content): one definition, so the two hosts cannot drift apart.
 */
export { CONTENT_SECURITY_POLICY } from "../electron/security-policy";
