import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Profile } from "../config/profile-store";
import { cacheFileName, cachePath, profileCachePath } from "./session";

const profile = (name: string): Profile => ({ name, tenantUrl: "https://t.example.com", orgId: "o", cpUrl: null });

describe("cacheFileName", () => {
  it("gives names that differ only in case, or in a space for a dash, files of their own", () => {
    expect(cacheFileName("victim")).toBe("victim.db");
    expect(cacheFileName("Victim")).toBe("^victim.db");
    expect(cacheFileName("a b")).toBe("a+20+b.db");
    expect(cacheFileName("a-b")).toBe("a-b.db");
    expect(cacheFileName("prod.eu_1")).toBe("prod.eu_1.db");
  });

  it("is one-to-one, in lower-case ASCII, so no two names share a file even on a case-insensitive disk", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme", maxLength: 20 }),
        fc.string({ unit: "grapheme", maxLength: 20 }),
        (a, b) => {
          const fa = cacheFileName(a);
          expect(fa).toMatch(/^[a-z0-9._^+-]*\.db$/);
          if (a !== b) expect(fa.toLowerCase()).not.toBe(cacheFileName(b).toLowerCase());
        },
      ),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,20}$/), (name) => {
        const twins = [name.toLowerCase(), name.toUpperCase(), name.replace(/ /g, "-"), name.replace(/-/g, " ")];
        for (const twin of twins) if (twin !== name) expect(cacheFileName(twin)).not.toBe(cacheFileName(name));
      }),
    );
  });
});

describe("profileCachePath", () => {
  let home: string;
  const env = () => ({ MOLECULE_OPS_HOME: home });
  const legacyDir = () => join(home, "profiles");
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), "session-cache-"));
    mkdirSync(legacyDir());
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it("'Victim' and 'victim' never open one cache file", () => {
    expect(profileCachePath(profile("Victim"), env())).not.toBe(profileCachePath(profile("victim"), env()));
    expect(cachePath(profile("Victim"), env())).toBe(join(legacyDir(), "^victim.db"));
  });

  it("moves the cache an earlier version kept under the lossy slug to the profile's own file, with its WAL", () => {
    writeFileSync(join(legacyDir(), "prod-eu.db"), "db");
    writeFileSync(join(legacyDir(), "prod-eu.db-wal"), "wal");
    const path = profileCachePath(profile("Prod EU"), env());
    expect(path).toBe(join(legacyDir(), "^prod+20+^e^u.db"));
    expect(readFileSync(path, "utf8")).toBe("db");
    expect(readFileSync(`${path}-wal`, "utf8")).toBe("wal");
    expect(existsSync(join(legacyDir(), "prod-eu.db"))).toBe(false);
    expect(existsSync(join(legacyDir(), "prod-eu.db-wal"))).toBe(false);
  });

  it("leaves a file alone that is already the profile's own, or when the profile has one", () => {
    writeFileSync(join(legacyDir(), "victim.db"), "lower");
    expect(profileCachePath(profile("victim"), env())).toBe(join(legacyDir(), "victim.db"));
    writeFileSync(join(legacyDir(), "^victim.db"), "upper");
    expect(profileCachePath(profile("Victim"), env())).toBe(join(legacyDir(), "^victim.db"));
    expect(readFileSync(join(legacyDir(), "victim.db"), "utf8")).toBe("lower");
    expect(readFileSync(join(legacyDir(), "^victim.db"), "utf8")).toBe("upper");
  });
});
