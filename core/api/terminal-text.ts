/**
 * Terminal text from upstreams (a serial console, a tenant's error line) is hostile: an escape
 * sequence can clear a support engineer's screen, move the cursor over what was printed, retitle
 * the window or plant a hyperlink. One grammar of what is not printable text, for the CLI (which
 * keeps colours on a terminal) and the console viewer (which turns colours into class names):
 *
 * - CSI: ESC [ parameter bytes (0–9 : ; < = > ?), intermediate bytes (space to /), a final byte;
 * - OSC: ESC ] up to BEL or ST (window titles, hyperlinks, clipboard writes);
 * - any other escape: ESC, intermediates, and a final byte when there is one;
 * - every control character but \n and \t: C0 (NUL and \r included), DEL and C1
 *   (U+0080–U+009F: U+009B is an 8-bit CSI, U+009D an 8-bit OSC).
 *
 * Matched in one pass, left to right, so what is between two matches holds no control character
 * at all, and removing a match can never join two harmless pieces into a live sequence (the
 * old CLI filter did that: a NUL placeholder step turned "NUL [2J" into a real "ESC [2J").
 */
const CONTROL_CHAR_SOURCE = "[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f]";
const CONTROL_SOURCE = `\\x1b\\[([0-?]*)([ -/]*)([@-~])|\\x1b\\][^\\x07\\x1b]*(?:\\x07|\\x1b\\\\)?|\\x1b[ -/]*[0-~]?|${CONTROL_CHAR_SOURCE}`;

/**
 * A new global pattern of the grammar above (its own lastIndex: callers that loop with exec
 * never share one). For a CSI, groups 1–3 are its parameters, intermediates and final byte;
 * for anything else they are undefined.
 */
export function terminalControls(): RegExp {
  return new RegExp(CONTROL_SOURCE, "g");
}

/** A well-formed SGR (colour) sequence: ESC [ digits and semicolons m, nothing else. */
const SGR = /^\x1b\[[0-9;]*m$/;

/**
 * Text for a terminal: colours kept (well-formed SGR sequences only), \n and \t kept, every other
 * escape sequence and control character removed. The output holds no control character but \n,
 * \t and ESC, and every ESC in it starts a whole SGR sequence.
 */
export function keepColoursOnly(text: string): string {
  return text.replace(terminalControls(), (match) => (SGR.test(match) ? match : ""));
}

/** Plain text: every escape sequence and control character but \n and \t removed. */
export function stripTerminalControls(text: string): string {
  return text.replace(terminalControls(), "");
}

/**
 * One line of plain text from upstream (an error field, a Stop body excerpt, a log record): every
 * escape sequence and control character removed as stripTerminalControls does, and each run of
 * \n and \t made one space.
 */
export function stripToOneLine(text: string): string {
  return stripTerminalControls(text).replace(/[\n\t]+/g, " ");
}

/**
 * Every control character but \n and \t removed, one by one, and nothing else: what is left of an
 * escape sequence stays as visible text ("ESC [2J" becomes "[2J"), so a log shows that one was
 * there. For logs, where every printable byte is evidence.
 */
export function removeControlCharacters(text: string): string {
  return text.replace(new RegExp(CONTROL_CHAR_SOURCE, "g"), "");
}
