import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { startSim } from "../sim";
import { terminalSafe } from "./output";
import { BIN } from "./run-cli.testkit";

const ESC = "\u001b";
const C1 = Array.from({ length: 32 }, (_, i) => String.fromCharCode(0x80 + i));

/** Strings made of the bytes escape sequences are built from, so that near-misses are common. */
const terminalish = fc
  .array(
    fc.oneof(
      fc.constantFrom(ESC, "[", "]", ";", "m", "\u0000", "\u0007", "\r", "\n", "\t", "\\", "?", " ", "J", "H", "P"),
      fc.constantFrom(..."0123456789"),
      fc.constantFrom(...C1),
      fc.constantFrom(`${ESC}[31m`, `${ESC}[0m`, "\u0000[2J", `${ESC}]0;title\u0007`, "\u009b2J", `${ESC}\\`),
      fc.string({ unit: "binary", maxLength: 3 }),
    ),
    { maxLength: 60 },
  )
  .map((parts) => parts.join(""));

/** Every control character but \n, \t and ESC (C0, DEL, C1). */
const FORBIDDEN = /[\u0000-\u0008\u000b-\u001a\u001c-\u001f\u007f-\u009f]/;

function expectTerminalSafe(out: string): void {
  expect(out).not.toMatch(FORBIDDEN);
  // Every ESC starts a whole SGR sequence: ESC [ digits and semicolons m.
  for (let i = out.indexOf(ESC); i !== -1; i = out.indexOf(ESC, i + 1)) {
    expect(out.slice(i)).toMatch(/^\u001b\[[0-9;]*m/);
  }
}

describe("terminalSafe", () => {
  it("lets nothing but SGR colour sequences, \\n and \\t reach the terminal, for any string", () => {
    fc.assert(
      fc.property(fc.oneof(terminalish, fc.string({ unit: "binary", maxLength: 80 })), (text) => {
        expectTerminalSafe(terminalSafe(text));
      }),
      { numRuns: 5000 },
    );
  });

  it("keeps what it keeps as it was: the output is its own fixed point, and plain text passes unchanged", () => {
    fc.assert(
      fc.property(terminalish, (text) => {
        const once = terminalSafe(text);
        expect(terminalSafe(once)).toBe(once);
      }),
    );
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 80 }), (text) => {
        const plain = text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, "");
        expect(terminalSafe(plain)).toBe(plain);
      }),
    );
  });

  it.each([
    ["a NUL before [2J (once turned into a real ESC)", "a\u0000[2Jb", "a[2Jb"],
    ["an ESC then a NUL", `${ESC}\u0000[2J`, "[2J"],
    ["the 8-bit CSI", "\u009b2J\u009b31m", "2J31m"],
    ["the 8-bit OSC", "\u009d0;title\u0007x", "0;titlex"],
    ["a carriage return that would overwrite the line", "fake ok\rreal", "fake okreal"],
    ["a cursor move", `${ESC}[10;1Hx`, "x"],
    ["a window title", `${ESC}]0;pwned\u0007x`, "x"],
    ["a hyperlink", `${ESC}]8;;https://evil.example${ESC}\\click${ESC}]8;;${ESC}\\`, "click"],
    ["a private-mode SGR look-alike", `${ESC}[?1mx`, "x"],
    ["a colon SGR", `${ESC}[38:2:1:2:3mx`, "x"],
    ["save-cursor (two-byte escape)", `${ESC}7x`, "x"],
    ["a NUL inside an SGR", `${ESC}[3\u00001mx`, "31mx"],
  ])("removes %s", (_what, input, output) => {
    expect(terminalSafe(input)).toBe(output);
  });

  it("keeps colours, newlines and tabs", () => {
    const text = `${ESC}[1;31mred bold${ESC}[0m\tthen\n${ESC}[mplain${ESC}[38;5;208morange`;
    expect(terminalSafe(text)).toBe(text);
  });
});

const hasScript = existsSync("/usr/bin/script") && process.platform === "linux";

describe.skipIf(!hasScript)("molecule-ops console on a real terminal (a pty from script(1))", () => {
  it("shows a hostile console's colours and text, never its screen clear or C1 controls", async () => {
    const sim = await startSim({ workspaces: 0 });
    const dir = mkdtempSync(join(tmpdir(), "cli-tty-"));
    try {
      const ws = sim.state.addWorkspace({ status: "online" });
      const hostile = `boot ${ESC}[32mok${ESC}[0m\u0000[2J\u0000[Hfake prompt\u009b2J\u009d0;title\u0007 end`;
      const body = JSON.stringify({ output: `${hostile}\n` });
      for (const route of ["cp.console", "tenant.console"] as const) {
        sim.faults.set(route, { kind: "status", status: 200, body }, { times: 5 });
      }
      const command = [process.execPath, BIN, "console", ws.id, "--db", join(dir, "cache.db")]
        .map((a) => `'${a.replace(/'/g, "'\\''")}'`)
        .join(" ");
      const out = await new Promise<string>((resolve, reject) => {
        const child = spawn("script", ["-qec", command, "/dev/null"], {
          env: { PATH: process.env.PATH, HOME: process.env.HOME, TERM: "xterm", ...sim.env },
          stdio: ["ignore", "pipe", "pipe"],
        });
        let text = "";
        child.stdout.on("data", (c: Buffer) => {
          text += c.toString("utf8");
        });
        child.on("error", reject);
        child.on("close", () => resolve(text));
      });
      expect(out).toContain(`boot ${ESC}[32mok${ESC}[0m[2J[Hfake prompt2J0;title end`);
      expect(out).not.toContain(`${ESC}[2J`);
      expect(out).not.toContain(`${ESC}[H`);
      // The pty turns \n into \r\n (onlcr): that is the terminal's, not the console's.
      expectTerminalSafe(out.replace(/\r\n/g, "\n"));
    } finally {
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
