import { describe, expect, it } from "vitest";
import { renderBootConsole } from "../../sim";
import { CRASH_TAIL_BYTES, consoleTail, detectBootstrapFailure } from "./bootstrap-failure";

describe("detectBootstrapFailure", () => {
  it("finds the marker in a real crash console and names the exception line", () => {
    const output = renderBootConsole({
      seed: 7,
      instanceId: "i-0123456789abcdef0",
      workspaceId: "ws",
      runtime: "crewai",
      tier: 2,
      privateIp: "10.0.0.9",
      crash: true,
      startedAt: 0,
      stoppedAt: null,
      bootMs: 1000,
      now: 10_000,
    });
    const failure = detectBootstrapFailure(output);
    expect(failure?.error).toMatch(/^RUNTIME CRASHED: \w+Error: /);
    expect(failure?.tail).toContain("Traceback (most recent call last):");
    expect(failure?.error).not.toContain("\u001b");
  });

  it("answers null for a healthy console", () => {
    expect(
      detectBootstrapFailure("[  OK  ] Reached target cloud-init.target\r\nmolecule runtime ready\r\n"),
    ).toBeNull();
  });

  it("keeps a tail of at most 8 KiB that starts at a line boundary, multi-byte text included", () => {
    const lines = Array.from({ length: 400 }, (_, i) => `line ${i} ✓ ${"é".repeat(20)}`);
    const output = `${lines.join("\n")}\nRUNTIME CRASHED\nKeyError: 'MODEL_API_KEY'\n`;
    const failure = detectBootstrapFailure(output);
    expect(Buffer.byteLength(failure?.tail ?? "")).toBeLessThanOrEqual(CRASH_TAIL_BYTES);
    expect(failure?.tail.startsWith("line ")).toBe(true);
    expect(failure?.tail.endsWith("KeyError: 'MODEL_API_KEY'\n")).toBe(true);
    expect(failure?.error).toBe("RUNTIME CRASHED: KeyError: 'MODEL_API_KEY'");
    expect(consoleTail("short\nconsole", 8192)).toBe("short\nconsole");
  });
});
