import { existsSync, renameSync } from "node:fs";
import { dirname, join } from "node:path";
import { readCpConfig } from "../config/cp-config";
import { type ProfileSecrets, secretValues } from "../config/credentials";
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
    this.store = Store.open(profileCachePath(profile, env));
    // Each client scrubs every secret of the profile from what its upstream sends, not only its own.
    const all = secretValues(secrets);
    this.tenant = new TenantClient(readTenantConfig(vars), { secrets: all });
    this.cp = profile.cpUrl ? new CpClient(readCpConfig(vars), { ledger: this.store, secrets: all }) : null;
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
    // Restarts first: one being followed would otherwise keep polling, and write to a closed cache.
    await this.restarts.close();
    await this.live.stop();
    await Promise.allSettled([this.tenant.close(), this.cp?.close()]);
    this.store.close();
  }
}

/**
 * The environment's profile shares the CLI's cache ($MOLECULE_OPS_DB or the data folder), so a
 * log imported on the command line shows in the app; every other profile has a cache of its own,
 * so two tenants' workspaces never mix in one list. Its file name is the profile name written so
 * that no two names share one (see cacheFileName).
 */
export function cachePath(profile: Profile, env: Env): string {
  if (profile.name === ENV_PROFILE) return defaultDbPath(undefined, env);
  return join(userDataDir(env), "profiles", cacheFileName(profile.name));
}

/**
 * A profile name as a file name, one-to-one and in lower case only, so that no two names share a
 * cache even on a case-insensitive disk: lower-case letters, digits and `._-` stay as they are
 * (the names earlier versions already used), a capital becomes `^` and the letter ("Victim" is
 * `^victim.db`, never `victim.db`), anything else `+hex+` ("a b" is `a+20+b.db`, not `a-b.db`).
 */
export function cacheFileName(name: string): string {
  let out = "";
  for (const ch of name) {
    if (/[a-z0-9._-]/.test(ch)) out += ch;
    else if (/[A-Z]/.test(ch)) out += `^${ch.toLowerCase()}`;
    else out += `+${(ch.codePointAt(0) ?? 0).toString(16)}+`;
  }
  return `${out}.db`;
}

/**
 * cachePath, after moving the cache that an earlier version kept for this profile under a
 * lossy slug ("Victim" and "victim" both in `victim.db`) to the profile's own file, when the
 * profile has none yet: instance ids learnt from imported logs live only there. A name whose
 * slug is its own file name keeps it. A move that fails leaves everything as it was (the
 * profile starts on an empty cache, which a sync and an import fill again).
 */
export function profileCachePath(profile: Profile, env: Env): string {
  const path = cachePath(profile, env);
  if (profile.name === ENV_PROFILE) return path;
  const slug = profile.name.toLowerCase().replace(/[^a-z0-9._-]+/g, "-");
  const legacy = join(dirname(path), `${slug}.db`);
  if (legacy === path || existsSync(path) || !existsSync(legacy)) return path;
  const moved: [string, string][] = [];
  try {
    // SQLite's companions first, the database last: it is never opened without its WAL.
    for (const suffix of ["-wal", "-shm", ""]) {
      if (!existsSync(legacy + suffix)) continue;
      renameSync(legacy + suffix, path + suffix);
      moved.push([legacy + suffix, path + suffix]);
    }
  } catch {
    for (const [from, to] of moved.reverse()) {
      try {
        renameSync(to, from);
      } catch {}
    }
  }
  return path;
}
