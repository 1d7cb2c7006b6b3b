import { describe, expect, it } from "vitest";
import type { ProfileView } from "../core/api/views";
import { urlChangeQuestion } from "./profile-change-policy";

const PROD: ProfileView = {
  name: "prod",
  tenantUrl: "https://tenant.example.com",
  orgId: "org",
  cpUrl: "https://cp.example.com",
  hasSecrets: true,
  active: true,
  readOnly: false,
};
const ENV: ProfileView = { ...PROD, name: "environment", readOnly: true };
const save = (profile: Partial<ProfileView>, secrets?: Record<string, string>) => ({
  profile: { name: PROD.name, tenantUrl: PROD.tenantUrl, orgId: PROD.orgId, cpUrl: PROD.cpUrl, ...profile },
  ...(secrets ? { secrets } : {}),
});
const NEW_SECRETS = { adminToken: "new-admin", provisionSecret: "", adminApiToken: "" };

describe("urlChangeQuestion", () => {
  it("asks before a profile with stored secrets is pointed at another tenant, cancel being the default", () => {
    const q = urlChangeQuestion([ENV, PROD], save({ tenantUrl: "https://evil.example.net" }));
    expect(q).toEqual({
      title: "Change the profile's URL",
      message: "Point prod at a new URL and remove its stored secrets?",
      detail: expect.stringContaining("Tenant URL: https://tenant.example.com → https://evil.example.net"),
      buttons: ["Change URL and remove secrets", "Cancel"],
      defaultId: 1,
      cancelId: 1,
    });
    expect(q?.detail).toContain("only ever sent to the URL they were entered for");
    expect(q?.detail).not.toContain("Control plane URL");
  });

  it("asks for a CP URL changed, added or removed", () => {
    for (const cpUrl of ["https://cp2.example.com", null]) {
      expect(urlChangeQuestion([PROD], save({ cpUrl }))?.detail).toContain(
        "Control plane URL: https://cp.example.com → ",
      );
    }
    const added = urlChangeQuestion([{ ...PROD, cpUrl: null }], save({ cpUrl: "https://cp.example.com" }));
    expect(added?.detail).toContain("Control plane URL: (none) → https://cp.example.com");
  });

  it("asks too when new secrets come with the change, saying where they will go", () => {
    const q = urlChangeQuestion([PROD], save({ tenantUrl: "https://other.example.com" }, NEW_SECRETS));
    expect(q?.message).toBe("Point prod at a new URL, with the secrets entered now?");
    expect(q?.buttons).toEqual(["Change URL", "Cancel"]);
    expect(q?.detail).toContain("sent to the new URL");
  });

  it("shows the URL as the parser writes it, not as the page sent it", () => {
    const q = urlChangeQuestion([PROD], save({ tenantUrl: "https://exämple.com/\u202Emoc.elgoog" }));
    expect(q?.detail).toContain("https://xn--exmple-cua.com/%E2%80%AEmoc.elgoog");
    expect(q?.detail).not.toContain("\u202E");
  });

  it.each([
    ["the same URLs", [PROD], save({})],
    [
      "the same URLs written differently",
      [PROD],
      save({ tenantUrl: "https://TENANT.example.com/", cpUrl: "https://cp.example.com/" }),
    ],
    ["other fields only", [PROD], save({ orgId: "org-2" }, NEW_SECRETS)],
    ["a new profile", [PROD], save({ name: "staging", tenantUrl: "https://staging.example.com" })],
    ["a profile with nothing stored", [{ ...PROD, hasSecrets: false }], save({ tenantUrl: "https://x.example.com" })],
    [
      "the environment's profile (the service refuses it)",
      [ENV],
      save({ name: "environment", tenantUrl: "https://x.example.com" }),
    ],
    ["an input the schema refuses", [PROD], save({ tenantUrl: "http://evil.example.net" })],
    ["no input at all", [PROD], undefined],
    ["garbage", [PROD], { profile: 5 }],
  ])("does not ask for %s", (_what, profiles, input) => {
    expect(urlChangeQuestion(profiles, input)).toBeNull();
  });
});
