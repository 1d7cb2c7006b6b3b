/** The three secrets of a tenant profile (SPEC §2/§3 names in comments). */
export interface ProfileSecrets {
  /** ADMIN_TOKEN: the tenant bearer and the CP's X-Molecule-Admin-Token. */
  adminToken: string;
  /** MOLECULE_CP_SHARED_SECRET: bearer of /cp/workspaces/*. */
  provisionSecret: string;
  /** CP_ADMIN_API_TOKEN: bearer of /cp/admin/* (empty: the provision secret). */
  adminApiToken: string;
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
