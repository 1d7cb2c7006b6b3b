import { OpsError } from "../errors";

/**
 * A service base URL from the environment: http(s) only, no credentials (they would end up in
 * logs and error messages; secrets have their own variables), no query or fragment (paths are
 * appended to it; a query, often a token, would be lost or leak). Returned without a trailing
 * slash; a path prefix is kept. `names` says which variables the value came from.
 */
export function parseBaseUrl(raw: string, names: string): string {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new OpsError("Config", `${names} is not a valid URL`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new OpsError("Config", `${names} must be an http(s) URL`);
  }
  if (parsed.username || parsed.password) throw new OpsError("Config", `${names} must not contain credentials`);
  if (parsed.search || parsed.hash) throw new OpsError("Config", `${names} must not contain a query or a fragment`);
  return parsed.toString().replace(/\/+$/, "");
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
