/**
 * `npm start` (bin/start.mjs) on this machine runs the emulator and the browser host. Its data
 * folder is a fresh private one, never the predictable /tmp/molecule-ops-emulator-<uid> that
 * another user could create first (issue 14), and it is gone after the launcher exits.
 */
import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const START = fileURLToPath(new URL("../bin/start.mjs", import.meta.url));

let tmp: string;
let umask: number;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "npm-start-"));
  umask = process.umask(0o022);
});
afterAll(() => {
  process.umask(umask);
  rmSync(tmp, { recursive: true, force: true });
});

describe.skipIf(process.platform === "win32")("npm start", () => {
  it("uses a fresh 0700 folder under TMPDIR, not the planted predictable one, and removes it on exit", async () => {
    // What another user of the machine could have created before us.
    const planted = join(tmp, `molecule-ops-emulator-${process.getuid?.()}`);
    mkdirSync(planted);
    chmodSync(planted, 0o777);

    const child = spawn(process.execPath, [START], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: tmp },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    let out = "";
    let err = "";
    child.stderr.on("data", (c) => {
      err += c;
    });
    const ready = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 110_000);
      child.stdout.on("data", (c) => {
        out += c;
        if (/open http:\/\/127\.0\.0\.1:\d+\//.test(out)) {
          clearTimeout(timer);
          resolve(true);
        }
      });
      void exited.then(() => resolve(false));
    });
    try {
      expect(ready, `${out}\n${err}`).toBe(true);
      const log = /# the tenant's server log: (\S+)/.exec(out)?.[1];
      expect(log).toBeDefined();
      const home = dirname(log!);
      expect(dirname(home)).toBe(tmp);
      expect(home).not.toBe(planted);
      expect(home).toMatch(/molecule-ops-emulator-\w{6}$/);
      expect(statSync(home).mode & 0o777).toBe(0o700);
      expect(existsSync(join(home, "cache.db"))).toBe(true);
      expect(readdirSync(planted)).toEqual([]);

      child.kill("SIGTERM");
      expect(await exited).toBe(0);
      expect(existsSync(home)).toBe(false);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  }, 120_000);
});
