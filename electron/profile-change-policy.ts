import { requestInputs } from "../core/api/schemas";
import type { ProfileView } from "../core/api/views";
import { parseBaseUrl } from "../core/config/base-url";
import { sameUrl } from "../core/config/credentials";

/**
 * What the desktop app asks, in a dialog of the main process (not the page, which may be
 * compromised), before a `profiles.save` points a profile with stored secrets at another tenant
 * or CP URL. Stored secrets belong to the URLs they were entered for (docs/contracts.md §5): the service
 * drops them on such a save unless new ones come with it; the question makes the change the
 * user's own, so a page cannot quietly redirect a profile (and wipe its secrets) by itself.
 */
export interface UrlChangeQuestion {
  title: string;
  message: string;
  detail: string;
  /** [confirm, cancel]: cancel is the default and what Escape answers. */
  buttons: [string, string];
  defaultId: 1;
  cancelId: 1;
}

/**
 * The question for a `profiles.save` request, or null to save without asking: a new profile, a
 * profile with nothing stored, the same URLs (as the parser writes them), or an input the
 * service's schema refuses anyway. `input` is the page's, unvalidated; what is shown comes from
 * the parsed, canonical URLs (punycode hosts, escaped paths: no look-alike or reordered text).
 */
export function urlChangeQuestion(profiles: readonly ProfileView[], input: unknown): UrlChangeQuestion | null {
  const parsed = requestInputs["profiles.save"].safeParse(input);
  if (!parsed.success) return null;
  const { profile, secrets } = parsed.data;
  const before = profiles.find((p) => p.name === profile.name && !p.readOnly);
  if (!before?.hasSecrets) return null;
  const tenantUrl = canonical(profile.tenantUrl);
  const cpUrl = profile.cpUrl === null ? null : canonical(profile.cpUrl);
  const tenantMoved = !sameUrl(before.tenantUrl, tenantUrl);
  const cpMoved = !sameUrl(before.cpUrl, cpUrl);
  if (!tenantMoved && !cpMoved) return null;

  const replaced = secrets !== undefined && Object.values(secrets).some((s) => s !== "");
  const changes = [
    tenantMoved ? `Tenant URL: ${before.tenantUrl} → ${tenantUrl}` : null,
    cpMoved ? `Control plane URL: ${before.cpUrl ?? "(none)"} → ${cpUrl ?? "(none)"}` : null,
  ].filter((line): line is string => line !== null);
  return {
    title: "Change the profile's URL",
    message: replaced
      ? `Point ${profile.name} at a new URL, with the secrets entered now?`
      : `Point ${profile.name} at a new URL and remove its stored secrets?`,
    detail: [
      ...changes,
      "",
      replaced
        ? "The stored secrets are replaced by the ones entered now, which will be sent to the new URL."
        : "Stored secrets are only ever sent to the URL they were entered for, so they are removed. Enter them again in Settings to use this profile.",
    ].join("\n"),
    buttons: [replaced ? "Change URL" : "Change URL and remove secrets", "Cancel"],
    defaultId: 1,
    cancelId: 1,
  };
}

function canonical(url: string): string {
  return parseBaseUrl(url, "URL");
}
