import { join } from "node:path";
import { readCpConfig } from "../config/cp-config";
import type { ProfileSecrets } from "../config/credentials";
import { defaultDbPath, userDataDir } from "../config/data-dir";
import { ENV_PROFILE, profileEnv } from "../config/env-profile";
import type { Profile, UiSettings } from "../config/profile-store";
import { CpClient } from "../cp/cp-client";
import { type ConsoleReader, consoleReader } from "../ops/console-reader";
import { LiveStatus } from "../ops/live-status";
import { RestartCoordinator } from "../ops/restart";
import { Store } from "../store/store";
import { TenantClient } from "../tenant/tenant-client";
import { readTenantConfig } from "../tenant/tenant-config";

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Everything a host needs to work on one tenant profile: its cache, its clients, the live-status
 * engine and the restart coordinator. The secrets stay in here, in the host's main process.
 */
export class Session {
  readonly store: Store;
  readonly tenant: TenantClient;
  readonly cp: CpClient | null;
  readonly live: LiveStatus;
  readonly restarts: RestartCoordinator;
  /** The serial console by workspace id (the CP's route when this profile has a CP, else the tenant's). */
  readonly readConsole: ConsoleReader;
  private started: Promise<void> | null = null;

  constructor(
    readonly profile: Profile,
    readonly secrets: ProfileSecrets | null,
    settings: UiSettings,
    env: Env,
  ) {
    const vars = profileEnv(profile, secrets);
    this.store = Store.open(cachePath(profile, env));
    this.tenant = new TenantClient(readTenantConfig(vars));
    this.cp = profile.cpUrl ? new CpClient(readCpConfig(vars), { ledger: this.store }) : null;
    this.live = new LiveStatus({
      store: this.store,
      tenant: this.tenant,
      cp: this.cp,
      feed: { baseUrl: readTenantConfig(vars).baseUrl, headers: this.tenant.headers() },
      sweepMs: settings.sweepSeconds * 1000,
      concurrency: settings.concurrency,
    });
    this.restarts = new RestartCoordinator({ store: this.store, cp: this.cp, tenant: this.tenant });
    this.readConsole = consoleReader(this.cp, this.tenant);
  }

  /** Starts the live engine once; its upstream failures become connection states, not errors. */
  start(): Promise<void> {
    this.started ??= this.live.start().catch(() => {});
    return this.started;
  }

  async close(): Promise<void> {
    await this.live.stop();
    await Promise.allSettled([this.tenant.close(), this.cp?.close()]);
    this.store.close();
  }
}

/**
 * The environment's profile shares the CLI's cache ($MOLECULE_OPS_DB or the data folder), so a
 * log imported on the command line shows in the app; every other profile has a cache of its own,
 * so two tenants' workspaces never mix in one list.
 */
export function cachePath(profile: Profile, env: Env): string {
  if (profile.name === ENV_PROFILE) return defaultDbPath(undefined, env);
  const slug = profile.name.toLowerCase().replace(/[^a-z0-9._-]+/g, "-");
  return join(userDataDir(env), "profiles", `${slug}.db`);
}
