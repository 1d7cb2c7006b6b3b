import { envValue, parseBaseUrl } from "../config/base-url";
import { OpsError } from "../errors";

/** Tenant platform settings, read from the environment names of docs/contracts.md §3. */
export interface TenantConfig {
  /** MOLECULE_TENANT_URL without a trailing slash; a path prefix is kept. */
  baseUrl: string;
  /** Bearer of every tenant request (ADMIN_TOKEN); empty = the header is not sent. */
  adminToken: string;
  /** X-Molecule-Org-Id: the platform answers 404 to requests for another org. */
  orgId: string;
}

type Env = Readonly<Record<string, string | undefined>>;

export function readTenantConfig(env: Env = process.env): TenantConfig {
  const rawUrl = envValue(env, "MOLECULE_TENANT_URL");
  if (!rawUrl) {
    throw new OpsError(
      "Config",
      "MOLECULE_TENANT_URL is not set: it is the base URL of the tenant platform whose workspaces to read",
    );
  }
  const baseUrl = parseBaseUrl(rawUrl, "MOLECULE_TENANT_URL");
  const orgId = envValue(env, "MOLECULE_ORG_ID");
  if (!orgId) {
    throw new OpsError(
      "Config",
      "MOLECULE_ORG_ID is not set: the tenant platform answers 404 to requests that do not name their org",
    );
  }
  return {
    baseUrl,
    adminToken: envValue(env, "ADMIN_TOKEN"),
    orgId,
  };
}

/** Every secret of a config, for redaction of anything shown or logged. */
export function tenantSecrets(config: TenantConfig | null | undefined): string[] {
  return config?.adminToken ? [config.adminToken] : [];
}
