import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BugLog } from "../core/api/bug-log";
import { fileMode, tempDirPerTest } from "../core/testing/temp-dir";
import { desktopLogPolicy } from "./desktop-log";
import { logBugsTo, logUnexpected } from "./unexpected-error";

const SECRET = "cp-admin-SECRET-99887766554433";

const logs = tempDirPerTest("desktop-logs-", { umask: 0o022 });
afterEach(() => {
  logBugsTo(null);
});

describe("the desktop app's log", () => {
  it("is molecule-ops.log in Electron's logs folder, 1 MiB a file, three old files kept", () => {
    expect(desktopLogPolicy("/home/ops/.config/molecule-ops/logs")).toEqual({
      path: "/home/ops/.config/molecule-ops/logs/molecule-ops.log",
      maxBytes: 1 << 20,
      keep: 3,
    });
  });

  it.skipIf(process.platform === "win32")("gets every bug logUnexpected sees, redacted, 0600, and rotates", () => {
    const policy = { ...desktopLogPolicy(logs()), maxBytes: 4096 };
    logBugsTo(new BugLog(policy));
    const console: string[] = [];
    for (let i = 0; i < 40; i++) {
      logUnexpected(`channel ${i}`, new TypeError(`x is undefined near ${SECRET}`), [SECRET], (l) => console.push(l));
    }
    expect(console).toHaveLength(40);
    expect(readdirSync(logs()).sort()).toEqual([
      "molecule-ops.log",
      "molecule-ops.log.1",
      "molecule-ops.log.2",
      "molecule-ops.log.3",
    ]);
    for (const name of readdirSync(logs())) {
      const text = readFileSync(join(logs(), name), "utf8");
      expect(text).toContain("internal error in channel");
      expect(text).not.toContain(SECRET.slice(0, 8));
      expect(fileMode(join(logs(), name))).toBe(0o600);
    }
    expect(readFileSync(policy.path, "utf8")).toContain(
      "internal error in channel 39: TypeError: x is undefined near [redacted]",
    );
  });
});
