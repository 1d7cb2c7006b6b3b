import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FileCredentials } from "./file-credentials";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "creds-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const SECRETS = { adminToken: "tok-1234567890", provisionSecret: "prov-1234567890", adminApiToken: "" };

describe.skipIf(process.platform === "win32")("FileCredentials", () => {
  it("writes a 0600 file and reads it back", async () => {
    const path = join(dir, "sub", "credentials.json");
    const store = new FileCredentials(path);
    await store.set("acme", SECRETS);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(await new FileCredentials(path).get("acme")).toEqual(SECRETS);
    expect(await store.get("other")).toBeNull();
    await store.remove("acme");
    expect(await store.get("acme")).toBeNull();
  });

  it("refuses a file that group or others can read, saying how to fix it, without echoing its content", async () => {
    const path = join(dir, "credentials.json");
    writeFileSync(path, JSON.stringify({ version: 1, profiles: { acme: SECRETS } }));
    chmodSync(path, 0o644);
    const store = new FileCredentials(path);
    const error = await store.get("acme").catch((e: Error) => e);
    expect(error).toMatchObject({ code: "Config" });
    expect((error as Error).message).toContain(`chmod 600 ${path}`);
    expect((error as Error).message).toContain("0644");
    expect((error as Error).message).not.toContain(SECRETS.adminToken);
    chmodSync(path, 0o640);
    await expect(store.get("acme")).rejects.toMatchObject({ code: "Config" });
    chmodSync(path, 0o600);
    expect(await store.get("acme")).toEqual(SECRETS);
  });

  it("says what is wrong with a damaged file and leaves it alone", async () => {
    const path = join(dir, "credentials.json");
    writeFileSync(path, "{not json", { mode: 0o600 });
    await expect(new FileCredentials(path).set("x", SECRETS)).rejects.toThrow(/not valid JSON/);
    expect(readFileSync(path, "utf8")).toBe("{not json");
  });

  describe("private files (issue 14)", () => {
    let umask: number;
    beforeEach(() => {
      umask = process.umask(0o022);
    });
    afterEach(() => {
      process.umask(umask);
    });

    it("creates its folder 0700 and the file 0600 under umask 022, leaving no temp file", async () => {
      const home = join(dir, "home");
      await new FileCredentials(join(home, "credentials.json")).set("acme", SECRETS);
      expect(statSync(home).mode & 0o777).toBe(0o700);
      expect(statSync(join(home, "credentials.json")).mode & 0o777).toBe(0o600);
      expect(readdirSync(home)).toEqual(["credentials.json"]);
    });

    it("does not write the secrets through a symlink planted at the old temp name", async () => {
      const path = join(dir, "credentials.json");
      const stolen = join(dir, "stolen");
      writeFileSync(stolen, "");
      symlinkSync(stolen, `${path}.${process.pid}.tmp`);
      await new FileCredentials(path).set("acme", SECRETS);
      expect(readFileSync(stolen, "utf8")).toBe("");
      expect(await new FileCredentials(path).get("acme")).toEqual(SECRETS);
    });

    it("does not write the secrets into a file planted (and held open) at the old temp name", async () => {
      const path = join(dir, "credentials.json");
      const planted = `${path}.${process.pid}.tmp`;
      writeFileSync(planted, "", { mode: 0o666 });
      const held = openSync(planted, "r");
      try {
        await new FileCredentials(path).set("acme", SECRETS);
        const seen = Buffer.alloc(4096);
        expect(readSync(held, seen, 0, seen.length, 0)).toBe(0);
      } finally {
        closeSync(held);
      }
    });

    it("refuses to write into a folder that others may write to, saying what to run", async () => {
      const shared = join(dir, "shared");
      mkdirSync(shared);
      chmodSync(shared, 0o777);
      const path = join(shared, "credentials.json");
      await expect(new FileCredentials(path).set("acme", SECRETS)).rejects.toMatchObject({
        code: "Config",
        message: expect.stringContaining(`chmod 700 ${shared}`),
      });
      expect(existsSync(path)).toBe(false);
    });

    it.skipIf(process.getuid?.() !== 0)(
      "refuses a 0600 file that another user owns (as root: chown; skipped when not root)",
      async () => {
        const path = join(dir, "credentials.json");
        writeFileSync(path, JSON.stringify({ version: 1, profiles: { acme: SECRETS } }), { mode: 0o600 });
        chownSync(path, 4242, 4242);
        await expect(new FileCredentials(path).get("acme")).rejects.toMatchObject({
          code: "Config",
          message: expect.stringMatching(/belongs to another user \(uid 4242\).*sudo chown root /),
        });
      },
    );
  });
});
