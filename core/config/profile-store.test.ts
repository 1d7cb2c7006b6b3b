import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDirPerTest } from "../testing/temp-dir";
import { ProfileStore } from "./profile-store";

const dir = tempDirPerTest("profile-store-", { umask: 0o022 });

describe.skipIf(process.platform === "win32")("ProfileStore's file (issue 14)", () => {
  it("is 0600 in a 0700 folder under umask 022: whoever edits it can send a profile's secrets elsewhere", () => {
    const home = join(dir(), "home");
    const store = new ProfileStore(join(home, "profiles.json"));
    store.update((s) => {
      s.profiles.push({ name: "acme", tenantUrl: "https://acme.example", orgId: "org-1", cpUrl: null });
    });
    expect(statSync(home).mode & 0o777).toBe(0o700);
    expect(statSync(join(home, "profiles.json")).mode & 0o777).toBe(0o600);
    expect(readdirSync(home)).toEqual(["profiles.json"]);
    expect(store.read().profiles.map((p) => p.name)).toEqual(["acme"]);
  });
});
