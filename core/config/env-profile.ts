import { envValue } from "./base-url";
import type { ProfileSecrets } from "./credentials";
import type { Profile } from "./profile-store";

type Env = Readonly<Record<string, string | undefined>>;

/** The profile the environment defines (docs/contracts.md §2/§3 names), read-only; null when it defines none. */
export const ENV_PROFILE = "environment";

export function profileFromEnv(env: Env): { profile: Profile; secrets: ProfileSecrets } | null {
  const tenantUrl = envValue(env, "MOLECULE_TENANT_URL");
  const orgId = envValue(env, "MOLECULE_ORG_ID");
  if (!tenantUrl || !orgId) return null;
  const cpUrl = envValue(env, "CP_PROVISION_URL", "MOLECULE_CP_URL") || null;
  const provisionSecret = envValue(env, "MOLECULE_CP_SHARED_SECRET", "PROVISION_SHARED_SECRET");
  return {
    profile: { name: ENV_PROFILE, tenantUrl, orgId, cpUrl },
    secrets: {
      adminToken: envValue(env, "ADMIN_TOKEN"),
      provisionSecret,
      adminApiToken: envValue(env, "CP_ADMIN_API_TOKEN"),
    },
  };
}

/** A profile and its secrets as the environment names of docs/contracts.md §2/§3, for the existing config readers. */
export function profileEnv(profile: Profile, secrets: ProfileSecrets | null): Record<string, string> {
  const env: Record<string, string> = {
    MOLECULE_TENANT_URL: profile.tenantUrl,
    MOLECULE_ORG_ID: profile.orgId,
    ADMIN_TOKEN: secrets?.adminToken ?? "",
    MOLECULE_CP_SHARED_SECRET: secrets?.provisionSecret ?? "",
    CP_ADMIN_API_TOKEN: secrets?.adminApiToken ?? "",
  };
  if (profile.cpUrl) env.CP_PROVISION_URL = profile.cpUrl;
  return env;
}
