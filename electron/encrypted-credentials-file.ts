import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { type CredentialStore, type ProfileSecrets, storedSecrets } from "../core/config/credentials";
import { ensurePrivateDir } from "../core/config/private-dir";
import { replaceFileSync } from "../core/config/private-file";
import { OpsError } from "../core/errors";
import type { CredentialPolicy } from "./credential-policy";

/** Encrypts and decrypts one string with a key the OS keeps (Electron's safeStorage in the app). */
export interface SecretCipher {
  encrypt(plain: string): Promise<Buffer>;
  /** `stale`: the key was rotated; the caller should encrypt the plain text again. */
  decrypt(sealed: Buffer): Promise<{ plain: string; stale: boolean }>;
}

interface SealedFile {
  version: 1;
  /** Profile name → base64 of the cipher's output for that profile's secrets as JSON. */
  profiles: Record<string, string>;
}

/**
 * Profile secrets in one JSON file, each profile's secrets sealed by a SecretCipher: the file
 * holds no plain secret, is written 0600 through a temp file and a rename (never half-written,
 * never readable by others for a moment), and writes are serialised so that two saves cannot
 * lose each other. When the policy refuses storage nothing is written and nothing is decrypted:
 * the error names the reason instead (DESIGN "Electron security", credentials).
 */
export class EncryptedCredentialsFile implements CredentialStore {
  readonly kind: string = "safeStorage";
  readonly canStore: boolean;
  readonly detail: string;
  private writes: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly path: string,
    private readonly cipher: SecretCipher,
    policy: CredentialPolicy,
  ) {
    this.canStore = policy.canStore;
    this.detail = policy.detail;
  }

  async get(profile: string): Promise<ProfileSecrets | null> {
    const sealed = (await this.read()).profiles[profile];
    if (sealed === undefined) return null;
    if (!this.canStore) {
      throw new OpsError("Config", `cannot read the saved secrets of ${profile}: ${this.detail}`);
    }
    let opened: { plain: string; stale: boolean };
    try {
      opened = await this.cipher.decrypt(Buffer.from(sealed, "base64"));
    } catch (cause) {
      throw new OpsError(
        "Config",
        `the saved secrets of ${profile} cannot be decrypted (the keyring or its key changed); save them again in Settings`,
        { cause },
      );
    }
    const secrets = secretsOf(opened.plain);
    // A rotated key: seal again with the current one, best effort (reading must not fail on it).
    if (opened.stale) await this.set(profile, secrets).catch(() => {});
    return secrets;
  }

  async set(profile: string, secrets: ProfileSecrets): Promise<void> {
    if (!this.canStore) throw new OpsError("Config", `cannot store secrets: ${this.detail}`);
    // The origins are sealed with the secrets: whoever can edit the file cannot rebind them.
    const plain = JSON.stringify({
      adminToken: secrets.adminToken,
      provisionSecret: secrets.provisionSecret,
      adminApiToken: secrets.adminApiToken,
      ...(secrets.origins ? { origins: secrets.origins } : {}),
    });
    const sealed = (await this.cipher.encrypt(plain)).toString("base64");
    await this.change((file) => {
      file.profiles[profile] = sealed;
    });
  }

  async remove(profile: string): Promise<void> {
    await this.change((file) => {
      delete file.profiles[profile];
    });
  }

  /** Read, change and write as one step of the write queue. */
  private change(edit: (file: SealedFile) => void): Promise<void> {
    const next = this.writes.then(async () => {
      const file = await this.read();
      edit(file);
      await this.write(file);
    });
    this.writes = next.catch(() => {});
    return next;
  }

  private async read(): Promise<SealedFile> {
    const profiles: Record<string, string> = Object.create(null);
    if (!existsSync(this.path)) return { version: 1, profiles };
    let value: unknown;
    try {
      value = JSON.parse(await readFile(this.path, "utf8"));
    } catch {
      throw new OpsError("Config", `the secrets file ${this.path} is not valid JSON; fix or remove it`);
    }
    const stored = (value as { profiles?: unknown } | null)?.profiles;
    if (typeof stored !== "object" || stored === null || Array.isArray(stored)) {
      throw new OpsError("Config", `the secrets file ${this.path} has no "profiles" object`);
    }
    for (const [name, sealed] of Object.entries(stored as Record<string, unknown>)) {
      if (typeof sealed === "string") profiles[name] = sealed;
    }
    return { version: 1, profiles };
  }

  private async write(file: SealedFile): Promise<void> {
    // A folder of the person's own (0700), refused when another user owns it or others can write it.
    ensurePrivateDir(dirname(this.path));
    try {
      // Exclusive, random-named, never through a link, checked after opening (core/config/private-file).
      replaceFileSync(this.path, `${JSON.stringify(file, null, 2)}\n`);
    } catch (cause) {
      throw new OpsError("Config", `could not write the secrets file ${this.path}`, { cause });
    }
  }
}

function secretsOf(plain: string): ProfileSecrets {
  try {
    return storedSecrets(JSON.parse(plain));
  } catch {
    return storedSecrets(null);
  }
}
