import { describe, expect, it } from "vitest";
import { parseConsole } from "./console-lines";

const CRASH_BOOT = [
  "[    0.000000] Linux version 6.1.127",
  "cloud-init[1900]: \u001b[32mINFO\u001b[0m 2026-11-29T21:00:00Z molecule_runtime: loading agent config",
  "RUNTIME CRASHED",
  "Traceback (most recent call last):",
  '  File "/opt/molecule/venv/bin/molecule-runtime", line 8, in <module>',
  "    sys.exit(main())",
  "KeyError: 'MODEL_API_KEY'",
  "after",
].join("\r\n");

describe("parseConsole", () => {
  it("marks the crash line, the traceback and its exception", () => {
    const lines = parseConsole(`${CRASH_BOOT}\r\n`);
    expect(lines.map((l) => l.kind)).toEqual([
      "plain",
      "plain",
      "crash",
      "traceback",
      "traceback",
      "traceback",
      "exception",
      "plain",
    ]);
    expect(lines[1]?.text).toBe("cloud-init[1900]: INFO 2026-11-29T21:00:00Z molecule_runtime: loading agent config");
  });

  it("follows a prefixed traceback (journald tags on every line)", () => {
    const lines = parseConsole(
      [
        "app[1]: Traceback (most recent call last):",
        'app[1]:   File "x.py", line 1',
        "app[1]: ValueError: bad",
        "x",
      ].join("\n"),
    );
    expect(lines.map((l) => l.kind)).toEqual(["traceback", "traceback", "exception", "plain"]);
  });

  it("keeps what a bare carriage return printed last", () => {
    expect(parseConsole("progress 10%\rprogress 100%\r\n").map((l) => l.text)).toEqual(["progress 100%"]);
  });

  it("parses 256 KiB of boot log quickly", () => {
    const block = `${CRASH_BOOT}\r\n`;
    const big = block.repeat(Math.ceil((256 * 1024) / block.length));
    const t0 = performance.now();
    const lines = parseConsole(big);
    expect(performance.now() - t0).toBeLessThan(500);
    expect(lines.length).toBeGreaterThan(2000);
  });
});
