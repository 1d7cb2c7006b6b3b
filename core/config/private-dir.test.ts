import { chmodSync, chownSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fileMode, tempDirPerTest } from "../testing/temp-dir";
import { ensurePrivateDir, refusalOf, shellWord, UNCHECKED_ON_WINDOWS } from "./private-dir";

const dir = tempDirPerTest("private-dir-", { umask: 0o022 });

const isRoot = process.getuid?.() === 0;

describe.skipIf(process.platform === "win32")("ensurePrivateDir", () => {
  it("creates the folder and its missing parents 0700 under umask 022", () => {
    const home = join(dir(), "share", "molecule-ops");
    expect(ensurePrivateDir(home)).toBeNull();
    expect(fileMode(home)).toBe(0o700);
    expect(fileMode(join(dir(), "share"))).toBe(0o700);
  });

  it("accepts a folder of the user's own that others cannot write to", () => {
    chmodSync(dir(), 0o755);
    expect(ensurePrivateDir(dir())).toBeNull();
  });

  it.each([0o777, 0o775, 0o757, 0o2770])(
    "refuses a folder writable by group or others (mode %o), saying what to run",
    (m) => {
      const shared = join(dir(), "shared");
      mkdirSync(shared);
      chmodSync(shared, m);
      expect(() => ensurePrivateDir(shared)).toThrow(
        expect.objectContaining({
          code: "Config",
          message: expect.stringContaining(`run: chmod 700 ${shared}`),
        }),
      );
      expect(() => ensurePrivateDir(shared)).toThrow(`mode ${m.toString(8).padStart(4, "0")}`);
    },
  );

  it("refuses a shared folder such as /tmp (mode 1777), saying to use a folder of one's own", () => {
    const shared = join(dir(), "tmp");
    mkdirSync(shared);
    chmodSync(shared, 0o1777);
    expect(() => ensurePrivateDir(shared)).toThrow(
      expect.objectContaining({
        code: "Config",
        message: expect.stringContaining(`shared with every user (mode 1777); choose a folder of your own`),
      }),
    );
  });

  it.skipIf(!isRoot)("refuses a folder another user owns (needs root to chown; skipped otherwise)", () => {
    const theirs = join(dir(), "theirs");
    mkdirSync(theirs, { mode: 0o700 });
    chownSync(theirs, 4242, 4242);
    expect(() => ensurePrivateDir(theirs)).toThrow(
      expect.objectContaining({
        code: "Config",
        message: expect.stringMatching(/belongs to another user \(uid 4242\), not to you \(root\).*sudo chown root /),
      }),
    );
  });

  it("refuses a file where the folder should be, with a Config error rather than a raw ENOTDIR", () => {
    writeFileSync(join(dir(), "file"), "");
    for (const path of [join(dir(), "file"), join(dir(), "file", "x")]) {
      expect(() => ensurePrivateDir(path)).toThrow(
        expect.objectContaining({ code: "Config", message: expect.stringContaining("cannot create the folder") }),
      );
    }
  });
});

describe("on Windows nothing is checked, and it says so", () => {
  it("returns the sentence instead of refusing a folder with loose bits", () => {
    const shared = join(dir(), "shared");
    mkdirSync(shared);
    chmodSync(shared, 0o777);
    expect(ensurePrivateDir(shared, "win32")).toBe(UNCHECKED_ON_WINDOWS);
    expect(UNCHECKED_ON_WINDOWS).toMatch(/not checked/);
  });
});

describe("refusalOf", () => {
  const me = { uid: 1000, name: "ops" };
  it("names the fix for each problem", () => {
    expect(refusalOf("/d", { isDirectory: true, uid: 1000, mode: 0o40700 }, me)).toBeNull();
    expect(refusalOf("/d", { isDirectory: true, uid: 1000, mode: 0o40750 }, me)).toBeNull();
    expect(refusalOf("/d", { isDirectory: true, uid: 0, mode: 0o40700 }, me)).toMatch(/sudo chown ops \/d$/);
    expect(refusalOf("/d", { isDirectory: true, uid: 1000, mode: 0o40770 }, me)).toMatch(/chmod 700 \/d$/);
    expect(refusalOf("/d", { isDirectory: false, uid: 1000, mode: 0o100600 }, me)).toMatch(/not a directory/);
  });

  it("quotes a path for the shell", () => {
    expect(shellWord("/home/ops/.local/share/molecule-ops")).toBe("/home/ops/.local/share/molecule-ops");
    expect(shellWord("/Users/o p/it's")).toBe(`'/Users/o p/it'\\''s'`);
  });
});
