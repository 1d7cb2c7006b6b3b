import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
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
});
