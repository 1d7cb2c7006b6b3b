import { OpsError } from "../errors";
import { envValue, parseBaseUrl } from "./base-url";

/** Control-plane settings, read from exactly the environment names of docs/contracts.md §2. */
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

export function readCpConfig(env: Env = process.env): CpConfig {
  const orgId = envValue(env, "MOLECULE_ORG_ID");
  if (!orgId) {
    throw new OpsError(
      "Config",
      "MOLECULE_ORG_ID is not set: it names the tenant (org) whose workspaces the control plane manages",
    );
  }
  const rawUrl = envValue(env, "CP_PROVISION_URL", "MOLECULE_CP_URL") || DEFAULT_CP_URL;
  const baseUrl = parseBaseUrl(rawUrl, "CP_PROVISION_URL / MOLECULE_CP_URL");
  // Shared secret: MOLECULE_CP_SHARED_SECRET, falling back to PROVISION_SHARED_SECRET so one
  // name works on both sides of the wire.
  const provisionSecret = envValue(env, "MOLECULE_CP_SHARED_SECRET", "PROVISION_SHARED_SECRET");
  // /cp/admin/* is gated by a distinct secret so a tenant's leaked provision credentials cannot
  // read other tenants' serial consoles; single-secret dev setups fall back to the shared one.
  const adminApiToken = envValue(env, "CP_ADMIN_API_TOKEN") || provisionSecret;
  return {
    orgId,
    baseUrl,
    provisionSecret,
    adminToken: envValue(env, "ADMIN_TOKEN"),
    adminApiToken,
  };
}

/** Every secret of a config, for redaction of anything shown or logged. */
export function cpSecrets(config: CpConfig | null | undefined): string[] {
  if (!config) return [];
  return [config.provisionSecret, config.adminToken, config.adminApiToken].filter(Boolean);
}
