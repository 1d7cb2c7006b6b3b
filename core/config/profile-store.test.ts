import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ProfileStore } from "./profile-store";

let dir: string;
let umask: number;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "profile-store-"));
  umask = process.umask(0o022);
});
afterEach(() => {
  process.umask(umask);
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(process.platform === "win32")("ProfileStore's file (issue 14)", () => {
  it("is 0600 in a 0700 folder under umask 022: whoever edits it can send a profile's secrets elsewhere", () => {
    const home = join(dir, "home");
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
