/**
 * The rules of the fields people type, defined once and asked by every place that checks them:
 * the API's schemas (input-rules.ts, profiles.ts), the CLI (cli/command-line.ts) and the UI's forms
 * (renderer/settings/profile-form.tsx, renderer/timeline/timeline-filters.tsx). Plain functions and
 * patterns, no zod, so the renderer can use them without bundling the schemas.
 */

/** A workspace id: letters, digits, `. _ : -`, starting with a letter or digit, at most 128. */
export const WORKSPACE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
export const WORKSPACE_ID_RULE = "must be a workspace id (letters, digits, . _ : -, at most 128)";

/** Shaped like a workspace id, so it can be put in a URL path safely. */
export function isWorkspaceId(value: string): boolean {
  return WORKSPACE_ID_PATTERN.test(value);
}

/** A profile's name: letters, digits, space, `. _ -`, starting with a letter or digit, at most 64. */
export const PROFILE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/;
export const PROFILE_NAME_RULE = "must be 1–64 letters, digits, space, . _ -";

export function isProfileName(value: string): boolean {
  return PROFILE_NAME_PATTERN.test(value);
}

/**
 * A service base URL: http(s), no credentials, no query or fragment, and for a saved profile
 * (PROFILE_URL_RULES) https except to a loopback host. The rule is core/config/base-url.ts's (the
 * environment's readers use it too); this is where the API and the UI take it from.
 */
export { type BaseUrlRules, baseUrlProblem, PROFILE_URL_RULES } from "../config/base-url";
/** Whether two base URLs name the same place (stored secrets belong to the URLs they were entered for). */
export { sameUrl } from "../config/credentials";
