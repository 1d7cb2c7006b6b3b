import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { keepColoursOnly } from "../../core/api/terminal-text";
import { initialAnsiState, parseAnsiLine, stripAnsi } from "./ansi";

const parse = (line: string) => parseAnsiLine(line, initialAnsiState());

describe("parseAnsiLine", () => {
  it("turns SGR colours into class names (the sim's systemd [  OK  ] line)", () => {
    const segs = parse(
      "[\u001b[0;32m  OK  \u001b[0m] Started \u001b[0;1;39msystemd-journald.service\u001b[0m - Journal",
    );
    expect(segs).toEqual([
      { text: "[", cls: "" },
      { text: "  OK  ", cls: "a-fg2" },
      { text: "] Started ", cls: "" },
      { text: "systemd-journald.service", cls: "a-b" },
      { text: " - Journal", cls: "" },
    ]);
  });

  it("carries the state across lines until a reset", () => {
    const state = initialAnsiState();
    expect(parseAnsiLine("\u001b[1;31mred", state)).toEqual([{ text: "red", cls: "a-fg1 a-b" }]);
    expect(parseAnsiLine("still red\u001b[0m plain", state)).toEqual([
      { text: "still red", cls: "a-fg1 a-b" },
      { text: " plain", cls: "" },
    ]);
  });

  it("maps bright, background, 256-colour and true-colour codes", () => {
    expect(parse("\u001b[93;104mx")).toEqual([{ text: "x", cls: "a-fg11 a-bg12" }]);
    expect(parse("\u001b[38;5;196mx")).toEqual([{ text: "x", cls: "", color: "rgb(255, 0, 0)" }]);
    expect(parse("\u001b[38;5;9mx")).toEqual([{ text: "x", cls: "a-fg9" }]);
    expect(parse("\u001b[48;2;1;2;300mx")).toEqual([{ text: "x", cls: "", background: "rgb(1, 2, 255)" }]);
    expect(parse("\u001b[7mx")).toEqual([{ text: "x", cls: "a-inv-fg a-inv-bg" }]);
  });

  it("keeps markup as plain text and drops every other control sequence", () => {
    const hostile = '\u001b]0;title\u0007<img src=x onerror="alert(1)">\u001b[2K\u001b[1A\u0000\u0008ok\u001bc';
    const segs = parse(hostile);
    expect(segs).toEqual([{ text: '<img src=x onerror="alert(1)">ok', cls: "" }]);
    expect(segs.every((s) => !s.color && !s.background)).toBe(true);
  });

  it("never lets a colour value be anything but rgb() of numbers", () => {
    const segs = parse("\u001b[38;2;1;2;3);background:url(x)mx\u001b[38;2;a;b;cmy");
    for (const s of segs) if (s.color) expect(s.color).toMatch(/^rgb\(\d{1,3}, \d{1,3}, \d{1,3}\)$/);
  });

  it("keeps tabs and unicode, strips escapes in stripAnsi", () => {
    expect(stripAnsi("a\tb \u001b[31m✓\u001b[0m")).toBe("a\tb ✓");
  });

  it("shows no control character, NUL and C1 (8-bit CSI and OSC) included, for any line", () => {
    const parts = fc.oneof(
      fc.constantFrom("\u001b", "[", "]", ";", "m", ":", "\u0000", "\u0007", "\r", "\t", "\u009b", "\u009d", "\u0085"),
      fc.constantFrom(..."0123456789"),
      fc.string({ unit: "binary", maxLength: 3 }),
    );
    fc.assert(
      fc.property(fc.array(parts, { maxLength: 50 }), (pieces) => {
        const line = pieces.join("").replace(/\n/g, "");
        const text = parse(line)
          .map((s) => s.text)
          .join("");
        expect(text).not.toMatch(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/);
        // The viewer and the CLI read terminal text by one grammar: the same text, less the colours.
        expect(text).toBe(stripAnsi(line));
        expect(stripAnsi(keepColoursOnly(line))).toBe(text);
      }),
      { numRuns: 3000 },
    );
  });
});
