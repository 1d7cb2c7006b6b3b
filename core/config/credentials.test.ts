import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { belongTo, storedSecrets } from "./credentials";
import { FileCredentials } from "./file-credentials";

const SECRETS = { adminToken: "tok-1234567890", provisionSecret: "prov-1234567890", adminApiToken: "" };
const ORIGINS = { tenantUrl: "https://tenant.example.com", cpUrl: "https://cp.example.com/prefix" };

describe("belongTo: stored secrets go only where they were entered for", () => {
  it("matches the same URLs, as the parser writes them", () => {
    const s = { ...SECRETS, origins: ORIGINS };
    expect(belongTo(s, ORIGINS)).toBe(true);
    expect(belongTo(s, { tenantUrl: "https://TENANT.example.com/", cpUrl: "https://cp.example.com/prefix/" })).toBe(
      true,
    );
  });

  it("refuses another tenant, another CP, a CP added or removed, another port, scheme or prefix", () => {
    const s = { ...SECRETS, origins: ORIGINS };
    for (const urls of [
      { ...ORIGINS, tenantUrl: "https://evil.example.net" },
      { ...ORIGINS, tenantUrl: "http://tenant.example.com" },
      { ...ORIGINS, tenantUrl: "https://tenant.example.com:8443" },
      { ...ORIGINS, cpUrl: "https://cp.example.com" },
      { ...ORIGINS, cpUrl: null },
    ]) {
      expect(belongTo(s, urls)).toBe(false);
    }
    expect(belongTo({ ...SECRETS, origins: { ...ORIGINS, cpUrl: null } }, ORIGINS)).toBe(false);
  });

  it("a record with malformed origins belongs nowhere; one stored before origins were kept goes with its profile", () => {
    const malformed = storedSecrets({ ...SECRETS, origins: "https://tenant.example.com" });
    expect(belongTo(malformed, ORIGINS)).toBe(false);
    expect(belongTo(storedSecrets(SECRETS), ORIGINS)).toBe(true);
    expect(storedSecrets({ adminToken: 5 })).toEqual({ adminToken: "", provisionSecret: "", adminApiToken: "" });
  });
});

describe.skipIf(process.platform === "win32")("FileCredentials keeps the origins with the secrets", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "creds-origins-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("round-trips them in the owner-only file", async () => {
    const path = join(dir, "credentials.json");
    await new FileCredentials(path).set("acme", { ...SECRETS, origins: ORIGINS });
    expect(await new FileCredentials(path).get("acme")).toEqual({ ...SECRETS, origins: ORIGINS });
    expect(JSON.parse(readFileSync(path, "utf8")).profiles.acme.origins).toEqual(ORIGINS);
  });
});
