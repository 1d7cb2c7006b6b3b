import { join } from "node:path";
import type { Sim } from "../../sim";
import { FileCredentials } from "../config/file-credentials";
import { ProfileStore } from "../config/profile-store";
import { OpsService } from "./ops-service";

/**
 * An OpsService as the browser host builds it, for tests: its profiles and file credentials in
 * `dir`, which is also its MOLECULE_OPS_HOME, on top of `env`.
 */
export function serviceIn(dir: string, env: Readonly<Record<string, string | undefined>> = {}): OpsService {
  return new OpsService({
    profiles: new ProfileStore(join(dir, "profiles.json")),
    credentials: new FileCredentials(join(dir, "credentials.json")),
    env: { ...env, MOLECULE_OPS_HOME: dir },
    host: "browser",
    version: "test",
  });
}

/** The secrets that reach `sim`'s tenant and CP, as profiles.save takes them. */
export function secretsOf(sim: Sim): { adminToken: string; provisionSecret: string; adminApiToken: string } {
  return {
    adminToken: sim.env.ADMIN_TOKEN as string,
    provisionSecret: sim.env.MOLECULE_CP_SHARED_SECRET as string,
    adminApiToken: sim.env.CP_ADMIN_API_TOKEN as string,
  };
}
