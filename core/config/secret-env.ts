type Env = Readonly<Record<string, string | undefined>>;

/**
 * Every secret the environment configures (docs/contracts.md §2/§3 names). Each upstream client redacts all of
 * them, not only its own: a tenant may echo the CP's secret as readily as its own token.
 */
export function envSecrets(env: Env): string[] {
  const names = ["ADMIN_TOKEN", "MOLECULE_CP_SHARED_SECRET", "PROVISION_SHARED_SECRET", "CP_ADMIN_API_TOKEN"];
  return names.map((n) => env[n]).filter((v): v is string => typeof v === "string" && v !== "");
}
