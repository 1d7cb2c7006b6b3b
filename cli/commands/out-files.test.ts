/**
 * Issue 14, with the real CLI in a child process under umask 022: what `--out` writes is private
 * and leaves no temp file; a bug's cause goes, redacted, to the data folder's log.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Store } from "../../core/store/store";
import { runCli } from "../run-cli.testkit";

const SECRET = "adm-Qx7vT2pL9sK4wN8rB3mZ6cH1";
const WS = "0b5e3d4c-2f1a-4e6b-9c8d-7a6b5c4d3e2f";

let dir: string;
let home: string;
let umask: number;
let env: Record<string, string>;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "out-files-"));
  home = join(dir, "home");
  umask = process.umask(0o022); // the child inherits it
  env = { MOLECULE_OPS_HOME: home, ADMIN_TOKEN: SECRET };
  const store = Store.open(join(home, "cache.db"));
  store.recordConsoleSnapshot(WS, null, "cloud-init: RUNTIME CRASHED\n", Date.parse("2027-06-01T00:00:00Z"));
  store.close();
});
afterAll(() => {
  process.umask(umask);
  rmSync(dir, { recursive: true, force: true });
});

const mode = (path: string) => statSync(path).mode & 0o777;

describe.skipIf(process.platform === "win32")("--out files", () => {
  it("console --out writes the console 0600 and no temp file", async () => {
    const outDir = mkdtempSync(join(dir, "console-"));
    const out = join(outDir, "console.txt");
    const r = await runCli(["console", WS, "--cached", "--out", out], env);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(readFileSync(out, "utf8")).toContain("RUNTIME CRASHED");
    expect(mode(out)).toBe(0o600);
    expect(readdirSync(outDir)).toEqual(["console.txt"]);
  });

  it("timeline --out replaces an existing 0644 export with a 0600 one and no temp file", async () => {
    const outDir = mkdtempSync(join(dir, "timeline-"));
    const out = join(outDir, "stops.csv");
    writeFileSync(out, "old", { mode: 0o644 });
    const r = await runCli(["timeline", "--format", "csv", "--out", out], env);
    expect(r.code).toBe(0);
    expect(readFileSync(out, "utf8")).toMatch(/^ts,event,workspace_id/);
    expect(mode(out)).toBe(0o600);
    expect(readdirSync(outDir)).toEqual(["stops.csv"]);
  });
});

describe.skipIf(process.platform === "win32")("a bug in the CLI", () => {
  it("says 'internal error' on the terminal and logs its cause, redacted, in logs/ of the data folder", async () => {
    // A preload that turns the CLI's result line into a bug whose message and cause quote the secret.
    const inject = join(dir, "inject-bug.mjs");
    writeFileSync(
      inject,
      `const write = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk, ...rest) => {
  if (String(chunk).startsWith("wrote ")) {
    const t = process.env.ADMIN_TOKEN;
    throw new TypeError("injected with Bearer " + t, { cause: new Error("inner " + Buffer.from(t).toString("base64")) });
  }
  return write(chunk, ...rest);
};
`,
    );
    const out = join(dir, "bug.csv");
    const r = await runCli(["timeline", "--format", "csv", "--out", out], {
      ...env,
      NODE_OPTIONS: `--import=${inject}`,
    });
    const log = join(home, "logs", "molecule-ops.log");
    expect(r.stderr).toBe(
      `molecule-ops: internal error (TypeError); please report it\nmolecule-ops: its cause is logged in ${log}\n`,
    );
    const text = readFileSync(log, "utf8");
    expect(text).toMatch(/^\S+Z internal error in timeline: TypeError: injected with Bearer \[redacted\]/);
    expect(text).toContain("caused by: Error: inner [redacted]");
    expect(text).not.toContain(SECRET.slice(0, 8));
    expect(text).not.toContain(Buffer.from(SECRET).toString("base64").slice(0, 12));
    expect(mode(log)).toBe(0o600);
    expect(mode(join(home, "logs"))).toBe(0o700);
  });
});
