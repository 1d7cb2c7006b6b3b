import { OpsError } from "../errors";

export interface BaseUrlRules {
  /**
   * Plain http only to a loopback host. A saved profile's URLs are where its stored secrets are
   * sent, so they must be https anywhere else (the emulator and a tunnel on this machine are
   * loopback). The environment's URLs are the user's own, typed for this run, and keep plain http.
   */
  httpsOffLoopback?: boolean;
}

/**
 * Why `raw` cannot be a service base URL, or null when it can: http(s) only, no credentials
 * (they would end up in logs and error messages; secrets have their own variables), no query or
 * fragment (paths are appended to it; a query, often a token, would be lost or leak), and with
 * `httpsOffLoopback`, https except on a loopback host. The one URL rule: the environment's
 * readers, the API schema of a saved profile and the profile form all ask it.
 */
export function baseUrlProblem(raw: string, rules: BaseUrlRules = {}): string | null {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    return "is not a valid URL";
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return "must be an http(s) URL";
  if (parsed.username || parsed.password) return "must not contain credentials (user:password@)";
  // An empty "?" or "#" parses to an empty search or hash, but would still end up in every path.
  if (/[?#]/.test(parsed.href)) return "must not contain a query or a fragment";
  if (rules.httpsOffLoopback && parsed.protocol === "http:" && !isLoopbackHost(parsed.hostname)) {
    return "must use https (plain http only to this machine: 127.0.0.1, ::1 or localhost)";
  }
  return null;
}

/** The rules of a saved profile's tenant and CP URLs (its stored secrets are sent there). */
export const PROFILE_URL_RULES: BaseUrlRules = { httpsOffLoopback: true };

/**
 * A service base URL that passes baseUrlProblem, returned without a trailing slash (a path
 * prefix is kept). `names` says which variables or fields the value came from.
 */
export function parseBaseUrl(raw: string, names: string, rules: BaseUrlRules = {}): string {
  const problem = baseUrlProblem(raw, rules);
  if (problem) throw new OpsError("Config", `${names} ${problem}`);
  return new URL(raw).toString().replace(/\/+$/, "");
}

/**
 * Hosts whose traffic never leaves this machine: 127.0.0.0/8, ::1 and localhost, as the URL
 * parser writes them (it has already turned `127.1` or `2130706433` into 127.0.0.1 and
 * lower-cased names). Nothing else counts: not `localhost.`, not a name that resolves to loopback.
 */
export function isLoopbackHost(hostname: string): boolean {
  if (hostname === "localhost" || hostname === "[::1]") return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

type Env = Readonly<Record<string, string | undefined>>;

/** Go's os.Getenv semantics: unset and empty are the same thing; the first name set wins. */
export function envValue(env: Env, ...names: string[]): string {
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value !== "") return value;
  }
  return "";
}
