import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { answerRequest } from "../core/api/dispatch";
import { OpsService } from "../core/api/ops-service";
import type { ProfileSecrets } from "../core/config/credentials";
import { ProfileStore } from "../core/config/profile-store";
import { OpsError } from "../core/errors";
import { EncryptedCredentialsFile, type SecretCipher } from "./encrypted-credentials-file";

/**
 * A stand-in for the OS key (Electron's safeStorage only exists inside Electron): AES would do,
 * but any reversible transform that leaves no plain text shows what the file does with it.
 */
class ReversingCipher implements SecretCipher {
  encrypted = 0;
  stale = false;
  failDecrypt = false;
  async encrypt(plain: string): Promise<Buffer> {
    this.encrypted++;
    return Buffer.from(`v1:${Buffer.from(plain).toString("hex").split("").reverse().join("")}`);
  }
  async decrypt(sealed: Buffer): Promise<{ plain: string; stale: boolean }> {
    const text = sealed.toString();
    if (this.failDecrypt || !text.startsWith("v1:")) throw new Error("bad key");
    const hex = text.slice(3).split("").reverse().join("");
    return { plain: Buffer.from(hex, "hex").toString(), stale: this.stale };
  }
}

const SECRETS: ProfileSecrets = {
  adminToken: "adm-7f3c9e1d2b4a",
  provisionSecret: "prov-5e8d7c6b5a49",
  adminApiToken: "cpadm-0a1b2c3d4e5f",
};
const STORE = { canStore: true, detail: "encrypted with a key kept in KWallet 6" };

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "molecule-ops-secrets-"));
  path = join(dir, "nested", "credentials.json");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("EncryptedCredentialsFile", () => {
  it("round-trips secrets per profile and writes no plain secret", async () => {
    const store = new EncryptedCredentialsFile(path, new ReversingCipher(), STORE);
    await store.set("prod", SECRETS);
    await store.set("staging", { ...SECRETS, adminToken: "adm-staging-1234" });
    expect(await store.get("prod")).toEqual(SECRETS);
    expect((await store.get("staging"))?.adminToken).toBe("adm-staging-1234");
    expect(await store.get("nope")).toBeNull();

    const text = readFileSync(path, "utf8");
    for (const secret of [...Object.values(SECRETS), "adm-staging-1234"]) expect(text).not.toContain(secret);
    const file = JSON.parse(text) as { version: number; profiles: Record<string, string> };
    expect(file.version).toBe(1);
    expect(Object.keys(file.profiles).sort()).toEqual(["prod", "staging"]);
    expect(Buffer.from(file.profiles.prod ?? "", "base64").toString()).toMatch(/^v1:/);
  });

  it.skipIf(process.platform === "win32")("keeps the file owner-only and leaves no temp file", async () => {
    const store = new EncryptedCredentialsFile(path, new ReversingCipher(), STORE);
    await store.set("prod", SECRETS);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(dir, "nested"))).toEqual(["credentials.json"]);
  });

  it("loses no profile when saves run at the same time", async () => {
    const store = new EncryptedCredentialsFile(path, new ReversingCipher(), STORE);
    await Promise.all(["a", "b", "c", "d", "e"].map((name) => store.set(name, { ...SECRETS, adminToken: name })));
    for (const name of ["a", "b", "c", "d", "e"]) expect((await store.get(name))?.adminToken).toBe(name);
  });

  it("removes a profile's secrets, and removing twice is fine", async () => {
    const store = new EncryptedCredentialsFile(path, new ReversingCipher(), STORE);
    await store.set("prod", SECRETS);
    await store.remove("prod");
    await store.remove("prod");
    expect(await store.get("prod")).toBeNull();
  });

  it("refuses to store, and says why, when the policy refuses", async () => {
    const refuse = { canStore: false, detail: "secrets are not saved: no keyring was found (basic_text)" };
    const cipher = new ReversingCipher();
    const store = new EncryptedCredentialsFile(path, cipher, refuse);
    expect(store.canStore).toBe(false);
    expect(store.detail).toBe(refuse.detail);
    const error = await store.set("prod", SECRETS).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpsError);
    expect((error as OpsError).code).toBe("Config");
    expect((error as OpsError).message).toBe(`cannot store secrets: ${refuse.detail}`);
    expect(cipher.encrypted).toBe(0);
    expect(() => statSync(path)).toThrow();
  });

  it("does not decrypt under a refusing policy (a basic_text key would not be the keyring's)", async () => {
    await new EncryptedCredentialsFile(path, new ReversingCipher(), STORE).set("prod", SECRETS);
    const store = new EncryptedCredentialsFile(path, new ReversingCipher(), { canStore: false, detail: "locked" });
    await expect(store.get("prod")).rejects.toThrow("cannot read the saved secrets of prod: locked");
    expect(await store.get("other")).toBeNull();
  });

  it("says to save again when the key changed", async () => {
    const cipher = new ReversingCipher();
    const store = new EncryptedCredentialsFile(path, cipher, STORE);
    await store.set("prod", SECRETS);
    cipher.failDecrypt = true;
    const error = (await store.get("prod").catch((e: unknown) => e)) as OpsError;
    expect(error.code).toBe("Config");
    expect(error.message).toMatch(/cannot be decrypted .* save them again in Settings$/);
  });

  it("seals again with the current key when the old one was rotated", async () => {
    const cipher = new ReversingCipher();
    const store = new EncryptedCredentialsFile(path, cipher, STORE);
    await store.set("prod", SECRETS);
    cipher.stale = true;
    expect(await store.get("prod")).toEqual(SECRETS);
    expect(cipher.encrypted).toBe(2);
  });

  it("names a broken file instead of guessing", async () => {
    const store = new EncryptedCredentialsFile(join(dir, "credentials.json"), new ReversingCipher(), STORE);
    writeFileSync(join(dir, "credentials.json"), "{not json", { mode: 0o600 });
    await expect(store.get("prod")).rejects.toThrow(/is not valid JSON; fix or remove it/);
    writeFileSync(join(dir, "credentials.json"), '{"profiles": []}', { mode: 0o600 });
    await expect(store.get("prod")).rejects.toThrow(/has no "profiles" object/);
  });

  it("seals the origins with the secrets, and keeps them through a key rotation", async () => {
    const cipher = new ReversingCipher();
    const store = new EncryptedCredentialsFile(path, cipher, STORE);
    const origins = { tenantUrl: "https://tenant.example.com", cpUrl: "https://cp.example.com" };
    await store.set("prod", { ...SECRETS, origins });
    expect(readFileSync(path, "utf8")).not.toContain("example.com");
    expect(await store.get("prod")).toEqual({ ...SECRETS, origins });
    cipher.stale = true;
    expect(await store.get("prod")).toEqual({ ...SECRETS, origins });
    cipher.stale = false;
    expect(await store.get("prod")).toEqual({ ...SECRETS, origins });
  });

  it("in the desktop app's service: a profile pointed at another tenant loses its sealed secrets", async () => {
    const store = new EncryptedCredentialsFile(path, new ReversingCipher(), STORE);
    const service = new OpsService({
      profiles: new ProfileStore(join(dir, "profiles.json")),
      credentials: store,
      env: { MOLECULE_OPS_HOME: dir },
      host: "electron",
      version: "test",
    });
    try {
      const profile = { name: "prod", tenantUrl: "https://tenant.example.com", orgId: "o", cpUrl: null };
      expect(await answerRequest(service, "profiles.save", { profile, secrets: SECRETS })).toMatchObject({
        ok: true,
        result: { hasSecrets: true },
      });
      const moved = { ...profile, tenantUrl: "https://elsewhere.example.net" };
      expect(await answerRequest(service, "profiles.save", { profile: moved })).toMatchObject({
        ok: true,
        result: { hasSecrets: false },
      });
      expect(await store.get("prod")).toBeNull();
    } finally {
      await service.close();
    }
  });

  it("reports itself as safeStorage", () => {
    expect(new EncryptedCredentialsFile(path, new ReversingCipher(), STORE).kind).toBe("safeStorage");
  });
});
