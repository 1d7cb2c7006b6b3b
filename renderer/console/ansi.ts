import { stripTerminalControls, terminalControls } from "../../core/api/terminal-text";

/**
 * ANSI SGR colours of a serial console as data: text segments with CSS class names (and, for
 * 256-colour and true-colour codes, an rgb() value built from numbers only). Nothing here makes
 * HTML: React renders the text as text, so console output can never inject markup (the seed's
 * console modal rendered raw output; one crafted boot line is enough to own an operator's page).
 */
export interface AnsiState {
  /** 0–15: a palette class; a string: an rgb() colour; null: the default. */
  fg: number | string | null;
  bg: number | string | null;
  bold: boolean;
  dim: boolean;
  italic: boolean;
  underline: boolean;
  inverse: boolean;
}

export interface Segment {
  text: string;
  /** Space-separated class names ("" for default text). */
  cls: string;
  /** rgb() colours for codes outside the 16-colour palette. */
  color?: string;
  background?: string;
}

export function initialAnsiState(): AnsiState {
  return { fg: null, bg: null, bold: false, dim: false, italic: false, underline: false, inverse: false };
}

/**
 * CSI sequences (SGR or cursor movement), OSC strings (window titles, hyperlinks), other
 * escapes, and control characters other than tab, C1 included: everything that is not printable
 * text, as core/api/terminal-text.ts defines it for the CLI too. Groups: a CSI's parameters,
 * intermediates and final byte.
 */
const CONTROL = terminalControls();

/** Parses one line (no newline in it), carrying the SGR state from the previous line. */
export function parseAnsiLine(line: string, state: AnsiState): Segment[] {
  const segments: Segment[] = [];
  let last = 0;
  let cls = classOf(state);
  const push = (text: string) => {
    if (text === "") return;
    const prev = segments[segments.length - 1];
    const color = colorOf(state, "fg");
    const background = colorOf(state, "bg");
    if (prev && prev.cls === cls && prev.color === color && prev.background === background) {
      prev.text += text;
      return;
    }
    const seg: Segment = { text, cls };
    if (color) seg.color = color;
    if (background) seg.background = background;
    segments.push(seg);
  };
  CONTROL.lastIndex = 0;
  for (let m = CONTROL.exec(line); m !== null; m = CONTROL.exec(line)) {
    push(line.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[3] === "m") {
      applySgr(state, m[1] ?? "");
      cls = classOf(state);
    }
  }
  push(line.slice(last));
  return segments;
}

/** Plain text of a line: every escape and control character removed. */
export function stripAnsi(text: string): string {
  return stripTerminalControls(text);
}

function applySgr(state: AnsiState, params: string): void {
  const codes = params === "" ? [0] : params.split(/[;:]/).map((p) => (p === "" ? 0 : Number.parseInt(p, 10)));
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i] ?? 0;
    if (code === 0) Object.assign(state, initialAnsiState());
    else if (code === 1) state.bold = true;
    else if (code === 2) state.dim = true;
    else if (code === 3) state.italic = true;
    else if (code === 4) state.underline = true;
    else if (code === 7) state.inverse = true;
    else if (code === 22) state.bold = state.dim = false;
    else if (code === 23) state.italic = false;
    else if (code === 24) state.underline = false;
    else if (code === 27) state.inverse = false;
    else if (code >= 30 && code <= 37) state.fg = code - 30;
    else if (code === 39) state.fg = null;
    else if (code >= 40 && code <= 47) state.bg = code - 40;
    else if (code === 49) state.bg = null;
    else if (code >= 90 && code <= 97) state.fg = code - 90 + 8;
    else if (code >= 100 && code <= 107) state.bg = code - 100 + 8;
    else if (code === 38 || code === 48) {
      const [colour, used] = extendedColour(codes, i + 1);
      if (colour !== undefined) state[code === 38 ? "fg" : "bg"] = colour;
      i += used;
    }
  }
}

/** 38;5;n (256 colours) or 38;2;r;g;b (true colour): the colour and how many codes it used. */
function extendedColour(codes: number[], at: number): [number | string | undefined, number] {
  const mode = codes[at];
  if (mode === 5) {
    const n = codes[at + 1];
    if (n === undefined || !(n >= 0 && n <= 255)) return [undefined, 2];
    return [n < 16 ? n : xterm256(n), 2];
  }
  if (mode === 2) {
    const [r, g, b] = [codes[at + 1], codes[at + 2], codes[at + 3]].map((v) => clampByte(v ?? 0));
    return [`rgb(${r}, ${g}, ${b})`, 4];
  }
  return [undefined, 0];
}

function xterm256(n: number): string {
  if (n >= 232) {
    const v = 8 + (n - 232) * 10;
    return `rgb(${v}, ${v}, ${v})`;
  }
  const i = n - 16;
  const level = (x: number) => (x === 0 ? 0 : 55 + x * 40);
  return `rgb(${level(Math.floor(i / 36))}, ${level(Math.floor(i / 6) % 6)}, ${level(i % 6)})`;
}

function clampByte(v: number): number {
  return Number.isFinite(v) ? Math.max(0, Math.min(255, Math.round(v))) : 0;
}

function effective(state: AnsiState): { fg: AnsiState["fg"]; bg: AnsiState["bg"] } {
  return state.inverse ? { fg: state.bg, bg: state.fg } : { fg: state.fg, bg: state.bg };
}

function classOf(state: AnsiState): string {
  const { fg, bg } = effective(state);
  const names: string[] = [];
  if (typeof fg === "number") names.push(`a-fg${fg}`);
  if (typeof bg === "number") names.push(`a-bg${bg}`);
  if (state.inverse && fg === null) names.push("a-inv-fg");
  if (state.inverse && bg === null) names.push("a-inv-bg");
  if (state.bold) names.push("a-b");
  if (state.dim) names.push("a-d");
  if (state.italic) names.push("a-i");
  if (state.underline) names.push("a-u");
  return names.join(" ");
}

function colorOf(state: AnsiState, which: "fg" | "bg"): string | undefined {
  const value = effective(state)[which];
  return typeof value === "string" ? value : undefined;
}
