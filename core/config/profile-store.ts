import { existsSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { OpsError } from "../errors";
import { ensurePrivateDir } from "./private-dir";
import { replaceFileSync } from "./private-file";

/** A tenant the console can work on; its secrets live in a CredentialStore, never here. */
export interface Profile {
  name: string;
  tenantUrl: string;
  orgId: string;
  /** null: this tenant's CP is not configured (status checks and CP consoles are off). */
  cpUrl: string | null;
}

export interface UiSettings {
  theme: "light" | "dark" | "system";
  sweepSeconds: number;
  concurrency: number;
}

export const DEFAULT_SETTINGS: UiSettings = { theme: "system", sweepSeconds: 30, concurrency: 16 };

interface StateFile {
  active: string | null;
  profiles: Profile[];
  settings: UiSettings;
}

/** Profiles and settings in one small JSON file next to the cache (no secrets in it). */
export class ProfileStore {
  constructor(private readonly path: string) {}

  read(): StateFile {
    if (!existsSync(this.path)) return { active: null, profiles: [], settings: { ...DEFAULT_SETTINGS } };
    let value: Partial<StateFile>;
    try {
      value = JSON.parse(readFileSync(this.path, "utf8")) as Partial<StateFile>;
    } catch {
      throw new OpsError("Config", `the settings file ${this.path} is not valid JSON; fix or remove it`);
    }
    const profiles = Array.isArray(value.profiles) ? value.profiles.filter(isProfile) : [];
    return {
      active: typeof value.active === "string" ? value.active : null,
      profiles,
      settings: { ...DEFAULT_SETTINGS, ...(value.settings ?? {}) },
    };
  }

  update(change: (state: StateFile) => void): StateFile {
    const state = this.read();
    change(state);
    // Issue 14: anyone who can edit this file can point a profile's URLs elsewhere.
    ensurePrivateDir(dirname(this.path));
    try {
      replaceFileSync(this.path, `${JSON.stringify(state, null, 2)}\n`);
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code ?? (cause as Error).message;
      throw new OpsError("Config", `could not write the settings file ${this.path} (${code})`, { cause });
    }
    return state;
  }
}

function isProfile(p: unknown): p is Profile {
  const r = p as Record<string, unknown>;
  return (
    typeof r === "object" &&
    r !== null &&
    typeof r.name === "string" &&
    typeof r.tenantUrl === "string" &&
    typeof r.orgId === "string" &&
    (r.cpUrl === null || typeof r.cpUrl === "string")
  );
}
