import { describe, expect, it } from "vitest";
import { OpsError } from "../errors";
import { readTenantConfig, tenantSecrets } from "./tenant-config";

const base = {
  MOLECULE_TENANT_URL: "https://tenant.example.com/",
  MOLECULE_ORG_ID: "org-1",
  ADMIN_TOKEN: "tok-123456",
};

function configError(env: Record<string, string | undefined>): OpsError {
  try {
    readTenantConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(OpsError);
    return error as OpsError;
  }
  throw new Error("expected a Config error");
}

describe("readTenantConfig", () => {
  it("reads the three docs/contracts.md §3 variables and drops the trailing slash, keeping a path prefix", () => {
    expect(readTenantConfig(base)).toEqual({
      baseUrl: "https://tenant.example.com",
      adminToken: "tok-123456",
      orgId: "org-1",
    });
    expect(readTenantConfig({ ...base, MOLECULE_TENANT_URL: "http://127.0.0.1:8080/api/" }).baseUrl).toBe(
      "http://127.0.0.1:8080/api",
    );
  });

  it("an unset or empty ADMIN_TOKEN is the empty string (the header is then not sent)", () => {
    expect(readTenantConfig({ ...base, ADMIN_TOKEN: undefined }).adminToken).toBe("");
    expect(readTenantConfig({ ...base, ADMIN_TOKEN: "" }).adminToken).toBe("");
    expect(tenantSecrets(readTenantConfig({ ...base, ADMIN_TOKEN: "" }))).toEqual([]);
    expect(tenantSecrets(readTenantConfig(base))).toEqual(["tok-123456"]);
  });

  it.each([
    [{ MOLECULE_TENANT_URL: undefined }, /^MOLECULE_TENANT_URL is not set/],
    [{ MOLECULE_TENANT_URL: "" }, /^MOLECULE_TENANT_URL is not set/],
    [{ MOLECULE_ORG_ID: undefined }, /^MOLECULE_ORG_ID is not set/],
    [{ MOLECULE_ORG_ID: "" }, /^MOLECULE_ORG_ID is not set/],
    [{ MOLECULE_TENANT_URL: "not a url" }, /not a valid URL/],
    [{ MOLECULE_TENANT_URL: "ftp://tenant.example.com" }, /must be an http\(s\) URL/],
    [{ MOLECULE_TENANT_URL: "file:///etc/passwd" }, /must be an http\(s\) URL/],
    [{ MOLECULE_TENANT_URL: "https://user:hunter22@tenant.example.com" }, /must not contain credentials/],
    [{ MOLECULE_TENANT_URL: "https://tenant.example.com/?token=hunter22" }, /must not contain a query/],
  ])("%o is a Config error naming the variable", (override, message) => {
    const error = configError({ ...base, ...override });
    expect(error.code).toBe("Config");
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain("hunter22");
  });
});
