import { parseBaseUrl } from "./base-url";

/** The tenant and CP URLs that a profile's secrets were entered for. */
export interface SecretOrigins {
  tenantUrl: string;
  cpUrl: string | null;
}

/** The three secrets of a tenant profile (docs/contracts.md §2/§3 names in comments). */
export interface ProfileSecrets {
  /** ADMIN_TOKEN: the tenant bearer and the CP's X-Molecule-Admin-Token. */
  adminToken: string;
  /** MOLECULE_CP_SHARED_SECRET: bearer of /cp/workspaces/*. */
  provisionSecret: string;
  /** CP_ADMIN_API_TOKEN: bearer of /cp/admin/* (empty: the provision secret). */
  adminApiToken: string;
  /**
   * Stored secrets belong to the origins they were entered for (docs/contracts.md §5): kept with them, in the
   * credential store (0600 or sealed), not in the profiles file that names the URLs, so that
   * pointing a profile elsewhere, by a save or by editing profiles.json, never sends them there.
   * Absent: secrets of the environment, or stored before origins were kept.
   */
  origins?: SecretOrigins;
}

/**
 * Where a host keeps profile secrets: Electron's safeStorage on the desktop, the environment or
 * a 0600 credentials file for the CLI and the browser host. Secrets are read in the process that
 * holds them and never cross to the renderer.
 */
export interface CredentialStore {
  /** Short name shown in Settings ("safeStorage (keychain)", "credentials file", "environment"). */
  readonly kind: string;
  /** One sentence: where, and why it refuses to store when it does. */
  readonly detail: string;
  /** false: this store can read but not keep new secrets (say why in `detail`). */
  readonly canStore: boolean;
  get(profile: string): Promise<ProfileSecrets | null>;
  set(profile: string, secrets: ProfileSecrets): Promise<void>;
  remove(profile: string): Promise<void>;
}

/** Every non-empty secret, for redaction and for the leak tests. */
export function secretValues(s: ProfileSecrets | null | undefined): string[] {
  if (!s) return [];
  return [s.adminToken, s.provisionSecret, s.adminApiToken].filter((v) => v !== "");
}

/**
 * Secrets as a store reads them back from JSON of any shape: a missing secret is "", origins are
 * kept only when well-formed (a malformed record then belongs to no URL at all, see belongTo).
 */
export function storedSecrets(value: unknown): ProfileSecrets {
  const r = (typeof value === "object" && value !== null ? value : {}) as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === "string" ? v : "");
  const secrets: ProfileSecrets = {
    adminToken: text(r.adminToken),
    provisionSecret: text(r.provisionSecret),
    adminApiToken: text(r.adminApiToken),
  };
  if ("origins" in r) {
    const o = (r.origins ?? {}) as Record<string, unknown>;
    secrets.origins = {
      tenantUrl: text(o.tenantUrl),
      cpUrl: typeof o.cpUrl === "string" ? o.cpUrl : null,
    };
  }
  return secrets;
}

/**
 * Whether stored secrets may be sent to these URLs: the origins they were entered for, compared
 * as the URL parser writes them (a trailing slash or a capital in the host is the same place).
 * Secrets stored without origins (before they were kept) go with the profile as it is.
 */
export function belongTo(secrets: ProfileSecrets, urls: SecretOrigins): boolean {
  if (!secrets.origins) return true;
  return sameUrl(secrets.origins.tenantUrl, urls.tenantUrl) && sameUrl(secrets.origins.cpUrl, urls.cpUrl);
}

/** Two base URLs name the same place (null: no CP). */
export function sameUrl(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  return canonicalUrl(a) === canonicalUrl(b);
}

function canonicalUrl(url: string): string {
  try {
    return parseBaseUrl(url, "URL");
  } catch {
    return url;
  }
}
