import { OpsError } from "../errors";

/** Tenant platform settings, read from the environment names of SPEC §3. */
export interface TenantConfig {
  /** MOLECULE_TENANT_URL without a trailing slash; a path prefix is kept. */
  baseUrl: string;
  /** Bearer of every tenant request (ADMIN_TOKEN); empty = the header is not sent. */
  adminToken: string;
  /** X-Molecule-Org-Id: the platform answers 404 to requests for another org. */
  orgId: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/** Go's os.Getenv semantics, as in cp-config: unset and empty are the same thing. */
function read(env: Env, name: string): string {
  const value = env[name];
  return value === undefined ? "" : value;
}

export function readTenantConfig(env: Env = process.env): TenantConfig {
  const rawUrl = read(env, "MOLECULE_TENANT_URL");
  if (!rawUrl) {
    throw new OpsError(
      "Config",
      "MOLECULE_TENANT_URL is not set: it is the base URL of the tenant platform whose workspaces to read",
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(rawUrl);
  } catch {
    throw new OpsError("Config", "MOLECULE_TENANT_URL is not a valid URL");
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new OpsError("Config", "MOLECULE_TENANT_URL must be an http(s) URL");
  }
  if (parsed.username || parsed.password) {
    // Credentials in a URL end up in logs and error messages; ADMIN_TOKEN is where they belong.
    throw new OpsError("Config", "MOLECULE_TENANT_URL must not contain credentials");
  }
  if (parsed.search || parsed.hash) {
    // Paths are appended to the base; a query (often a token) would be lost or leak into logs.
    throw new OpsError("Config", "MOLECULE_TENANT_URL must not contain a query or a fragment");
  }
  const orgId = read(env, "MOLECULE_ORG_ID");
  if (!orgId) {
    throw new OpsError(
      "Config",
      "MOLECULE_ORG_ID is not set: the tenant platform answers 404 to requests that do not name their org",
    );
  }
  return {
    baseUrl: parsed.toString().replace(/\/+$/, ""),
    adminToken: read(env, "ADMIN_TOKEN"),
    orgId,
  };
}

/** Every secret of a config, for redaction of anything shown or logged. */
export function tenantSecrets(config: TenantConfig | null | undefined): string[] {
  return config?.adminToken ? [config.adminToken] : [];
}
