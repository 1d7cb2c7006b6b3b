import { homedir } from "node:os";
import { join } from "node:path";

type Env = Readonly<Record<string, string | undefined>>;

/** The per-user data folder of each platform, where the cache lives unless told otherwise. */
export function userDataDir(env: Env = process.env, platform: NodeJS.Platform = process.platform): string {
  // One folder for everything (cache, profiles, credentials): `npm start` keeps the emulator's
  // data apart from a real tenant's this way, and tests use a temp folder.
  if (env.MOLECULE_OPS_HOME) return env.MOLECULE_OPS_HOME;
  const home = env.HOME || homedir();
  if (platform === "win32") return join(env.APPDATA || join(home, "AppData", "Roaming"), "molecule-ops");
  if (platform === "darwin") return join(home, "Library", "Application Support", "molecule-ops");
  return join(env.XDG_DATA_HOME || join(home, ".local", "share"), "molecule-ops");
}

/** `--db`, else `$MOLECULE_OPS_DB`, else the per-user data folder (docs/cli.md). */
export function defaultDbPath(flag: string | undefined, env: Env = process.env): string {
  if (flag) return flag;
  if (env.MOLECULE_OPS_DB) return env.MOLECULE_OPS_DB;
  return join(userDataDir(env), "cache.db");
}
