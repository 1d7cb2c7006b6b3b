import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { OpsError } from "../errors";
import { fileMode, tempDirPerTest } from "../testing/temp-dir";
import { BugLog, BugReporter, dataDirLogPolicy, LOG_KEEP, LOG_MAX_BYTES, logBugInDataDir } from "./bug-log";

const SECRET = "adm-Qx7vT2pL9sK4wN8rB3mZ";

const dir = tempDirPerTest("bug-log-", { umask: 0o022 });

const fixedClock = () => new Date("2027-06-01T00:00:00.000Z");

/** A bug whose message and cause carry the secret as is, URL-encoded, base64'd and cut off. */
function leakyBug(): Error {
  const inner = new Error(`upstream said: Authorization: Bearer ${SECRET} (${encodeURIComponent(`${SECRET}/x`)})`);
  return new TypeError(
    `cannot read 'id' of undefined; env=${Buffer.from(`ADMIN_TOKEN=${SECRET}`).toString("base64")} …X-Token: ${SECRET.slice(0, 10)}`,
    { cause: inner },
  );
}

function expectNoSecret(text: string): void {
  expect(text).not.toContain(SECRET);
  expect(text).not.toContain(SECRET.slice(0, 8));
  expect(text).not.toContain(Buffer.from(SECRET).toString("base64").slice(4, 16));
}

describe.skipIf(process.platform === "win32")("BugLog", () => {
  it("writes a bug's stack and its causes, redacted, to a 0600 file in a 0700 folder", () => {
    const path = join(dir(), "logs", "molecule-ops.log");
    const log = new BugLog({ path, maxBytes: LOG_MAX_BYTES, keep: LOG_KEEP }, fixedClock);
    expect(log.write("workspaces.list", leakyBug(), [SECRET])).toBe(true);
    const text = readFileSync(path, "utf8");
    expect(text).toMatch(/^2027-06-01T00:00:00.000Z internal error in workspaces.list: TypeError: cannot read 'id'/);
    expect(text).toMatch(/\n +at /);
    expect(text).toContain("caused by: Error: upstream said: Authorization: Bearer [redacted]");
    expectNoSecret(text);
    expect(fileMode(path)).toBe(0o600);
    expect(fileMode(join(dir(), "logs"))).toBe(0o700);
  });

  it("keeps upstream text from forging entries or reaching a terminal", () => {
    const path = join(dir(), "molecule-ops.log");
    new BugLog({ path, maxBytes: LOG_MAX_BYTES, keep: 1 }, fixedClock).write(
      "x",
      "bad\n2027-01-01T00:00:00.000Z internal error in forged\u001b[2J\u009b",
      [],
    );
    const lines = readFileSync(path, "utf8").split("\n");
    expect(lines[1]).toBe("    2027-01-01T00:00:00.000Z internal error in forged[2J");
  });

  it("rotates at the size limit, keeping `keep` old files, none holding the secret", () => {
    const path = join(dir(), "molecule-ops.log");
    const log = new BugLog({ path, maxBytes: 2048, keep: 2 });
    for (let i = 0; i < 60; i++) expect(log.write(`request ${i}`, leakyBug(), [SECRET])).toBe(true);
    expect(readdirSync(dir()).sort()).toEqual(["molecule-ops.log", "molecule-ops.log.1", "molecule-ops.log.2"]);
    for (const name of readdirSync(dir())) {
      const file = join(dir(), name);
      expect(statSync(file).size).toBeLessThanOrEqual(2048);
      expect(fileMode(file)).toBe(0o600);
      expectNoSecret(readFileSync(file, "utf8"));
    }
    // Newest last in the current file; the rotated ones are older.
    expect(readFileSync(path, "utf8")).toContain("internal error in request 59:");
    expect(readFileSync(`${path}.2`, "utf8")).not.toContain("request 59:");
  });

  it("never throws: a refused folder makes it report false", () => {
    const shared = join(dir(), "shared");
    mkdirSync(shared);
    chmodSync(shared, 0o777);
    const log = new BugLog({ path: join(shared, "molecule-ops.log"), maxBytes: 1024, keep: 1 });
    expect(log.write("x", new Error("boom"), [])).toBe(false);
    expect(existsSync(join(shared, "molecule-ops.log"))).toBe(false);
  });
});

describe.skipIf(process.platform === "win32")("the CLI's and the browser host's log", () => {
  it("lives in logs/ of the data folder, redacted with the environment's secrets", () => {
    const env = { MOLECULE_OPS_HOME: join(dir(), "home"), ADMIN_TOKEN: SECRET };
    expect(dataDirLogPolicy(env)).toEqual({
      path: join(dir(), "home", "logs", "molecule-ops.log"),
      maxBytes: 1 << 20,
      keep: 3,
    });
    const written = logBugInDataDir("timeline", leakyBug(), env);
    expect(written).toBe(join(dir(), "home", "logs", "molecule-ops.log"));
    expectNoSecret(readFileSync(written!, "utf8"));
    expect(fileMode(join(dir(), "home"))).toBe(0o700);
  });
});

describe.skipIf(process.platform === "win32")("BugReporter (every host's bug reports)", () => {
  it("logs a bug's cause, redacted, and prints one line saying where", () => {
    const path = join(dir(), "logs", "molecule-ops.log");
    const printed: string[] = [];
    const { report } = new BugReporter({
      log: new BugLog({ path, maxBytes: LOG_MAX_BYTES, keep: LOG_KEEP }, fixedClock),
      name: "molecule-ops serve",
      print: (line) => printed.push(line),
    });
    report("workspaces.list", leakyBug(), [SECRET]);
    expect(printed).toEqual([`molecule-ops serve: internal error in workspaces.list; its cause is logged in ${path}`]);
    const text = readFileSync(path, "utf8");
    expect(text).toMatch(/^2027-06-01T00:00:00.000Z internal error in workspaces.list: TypeError: cannot read 'id'/);
    expectNoSecret(text);
  });

  it("without a log file, or one that cannot be written, prints the redacted cause itself", () => {
    const shared = join(dir(), "shared");
    mkdirSync(shared);
    chmodSync(shared, 0o777);
    for (const log of [null, new BugLog({ path: join(shared, "molecule-ops.log"), maxBytes: 1024, keep: 1 })]) {
      const printed: string[] = [];
      new BugReporter({ log, name: "molecule-ops", print: (line) => printed.push(line) }).report(
        `export\u001b[2J ${SECRET}`,
        leakyBug(),
        [SECRET],
      );
      expect(printed).toHaveLength(1);
      expect(printed[0]).toMatch(
        /^molecule-ops: unexpected error in export\[2J \[redacted\]: TypeError: cannot read 'id'/,
      );
      expect(printed[0]).toContain("caused by: Error: upstream said: Authorization: Bearer [redacted]");
      expectNoSecret(printed[0] ?? "");
    }
  });

  it("leaves OpsErrors, whose safe message is the answer, out of the log and the console", () => {
    const path = join(dir(), "molecule-ops.log");
    const printed: string[] = [];
    new BugReporter({
      log: new BugLog({ path, maxBytes: LOG_MAX_BYTES, keep: LOG_KEEP }),
      name: "molecule-ops",
      print: (line) => printed.push(line),
    }).report("invoke", new OpsError("Upstream", "503"), []);
    expect(printed).toEqual([]);
    expect(existsSync(path)).toBe(false);
  });
});
