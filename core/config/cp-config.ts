import { OpsError } from "../errors";

/** Control-plane settings, read from exactly the environment names of SPEC §2. */
export interface CpConfig {
  orgId: string;
  baseUrl: string;
  /** Bearer for /cp/workspaces/* (provision routes). */
  provisionSecret: string;
  /** X-Molecule-Admin-Token: which tenant is calling (controlplane #118/#130). */
  adminToken: string;
  /** Bearer for /cp/admin/* routes. */
  adminApiToken: string;
}

export const DEFAULT_CP_URL = "https://api.moleculesai.app";

type Env = Readonly<Record<string, string | undefined>>;

/** Go's os.Getenv semantics: unset and empty are the same thing. */
function first(env: Env, ...names: string[]): string {
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value !== "") return value;
  }
  return "";
}

export function readCpConfig(env: Env = process.env): CpConfig {
  const orgId = first(env, "MOLECULE_ORG_ID");
  if (!orgId) {
    throw new OpsError(
      "Config",
      "MOLECULE_ORG_ID is not set: it names the tenant (org) whose workspaces the control plane manages",
    );
  }
  const rawUrl = first(env, "CP_PROVISION_URL", "MOLECULE_CP_URL") || DEFAULT_CP_URL;
  let parsed: URL;
  try {
    parsed = new URL(rawUrl);
  } catch {
    throw new OpsError("Config", "CP_PROVISION_URL / MOLECULE_CP_URL is not a valid URL");
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new OpsError("Config", "CP_PROVISION_URL / MOLECULE_CP_URL must be an http(s) URL");
  }
  if (parsed.username || parsed.password) {
    // Credentials in a URL end up in logs and error messages; they belong in the secrets.
    throw new OpsError("Config", "CP_PROVISION_URL / MOLECULE_CP_URL must not contain credentials");
  }
  // Shared secret: MOLECULE_CP_SHARED_SECRET, falling back to PROVISION_SHARED_SECRET so one
  // name works on both sides of the wire.
  const provisionSecret = first(env, "MOLECULE_CP_SHARED_SECRET", "PROVISION_SHARED_SECRET");
  // /cp/admin/* is gated by a distinct secret so a tenant's leaked provision credentials cannot
  // read other tenants' serial consoles; single-secret dev setups fall back to the shared one.
  const adminApiToken = first(env, "CP_ADMIN_API_TOKEN") || provisionSecret;
  return {
    orgId,
    baseUrl: parsed.toString().replace(/\/+$/, ""),
    provisionSecret,
    adminToken: first(env, "ADMIN_TOKEN"),
    adminApiToken,
  };
}

/** Every secret of a config, for redaction of anything shown or logged. */
export function cpSecrets(config: CpConfig | null | undefined): string[] {
  if (!config) return [];
  return [config.provisionSecret, config.adminToken, config.adminApiToken].filter(Boolean);
}
