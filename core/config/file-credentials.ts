import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { OpsError } from "../errors";
import { type CredentialStore, type ProfileSecrets, storedSecrets } from "./credentials";
import { currentUser, ensurePrivateDir, shellWord } from "./private-dir";
import { replaceFileSync } from "./private-file";

interface CredentialsFile {
  version: 1;
  profiles: Record<string, ProfileSecrets>;
}

/**
 * Secrets in a JSON file only its owner can read. A file that group or others can read is
 * refused with the command that fixes it, rather than used: a shared jump box is exactly where
 * a 0644 file leaks a tenant's admin token.
 */
export class FileCredentials implements CredentialStore {
  readonly kind = "credentials file";
  readonly canStore = process.platform !== "win32";
  readonly detail: string;

  constructor(private readonly path: string) {
    this.detail =
      process.platform === "win32"
        ? `${path} (read only: Windows has no owner-only file mode; use the desktop app's safeStorage)`
        : `${path}, readable by its owner only (mode 0600)`;
  }

  async get(profile: string): Promise<ProfileSecrets | null> {
    return this.read().profiles[profile] ?? null;
  }

  async set(profile: string, secrets: ProfileSecrets): Promise<void> {
    if (!this.canStore) throw new OpsError("Config", `cannot store secrets: ${this.detail}`);
    const file = this.read();
    file.profiles[profile] = secrets;
    this.write(file);
  }

  async remove(profile: string): Promise<void> {
    const file = this.read();
    if (!(profile in file.profiles)) return;
    delete file.profiles[profile];
    this.write(file);
  }

  private read(): CredentialsFile {
    if (!existsSync(this.path)) return { version: 1, profiles: {} };
    checkOwnerOnly(this.path);
    let value: unknown;
    try {
      value = JSON.parse(readFileSync(this.path, "utf8"));
    } catch {
      throw new OpsError("Config", `the credentials file ${this.path} is not valid JSON; fix or remove it`);
    }
    const profiles = (value as { profiles?: unknown })?.profiles;
    if (typeof profiles !== "object" || profiles === null || Array.isArray(profiles)) {
      throw new OpsError("Config", `the credentials file ${this.path} has no "profiles" object`);
    }
    const out: Record<string, ProfileSecrets> = Object.create(null);
    for (const [name, s] of Object.entries(profiles as Record<string, unknown>)) out[name] = storedSecrets(s);
    return { version: 1, profiles: out };
  }

  /**
   * In a folder of the user's own, through a private temp file renamed into place: never a
   * moment where the secrets are readable by others, nor a name someone could plant a file at.
   */
  private write(file: CredentialsFile): void {
    ensurePrivateDir(dirname(this.path));
    try {
      replaceFileSync(this.path, `${JSON.stringify(file, null, 2)}\n`);
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code ?? (cause as Error).message;
      throw new OpsError("Config", `could not write the credentials file ${this.path} (${code})`, { cause });
    }
  }
}

/** Refuses a secrets file that is not the user's own, or that group or others may read (POSIX). */
export function checkOwnerOnly(path: string): void {
  if (process.platform === "win32") return;
  const st = statSync(path);
  const me = currentUser();
  if (st.uid !== me.uid) {
    throw new OpsError(
      "Config",
      `refusing to read secrets from ${path}: it belongs to another user (uid ${st.uid}), not to you (${me.name}); remove it, or run: sudo chown ${me.name} ${shellWord(path)}`,
    );
  }
  const mode = st.mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new OpsError(
      "Config",
      `refusing to read secrets from ${path}: it is readable by group or others (mode ${mode.toString(8).padStart(4, "0")}); run: chmod 600 ${shellWord(path)}`,
    );
  }
}
