/**
 * The console's side of provlog: it writes the same single-line records as the Go platform's
 * `provlog.Event(name, fields)` for its own actions (restart.pre_stop before a Stop,
 * ec2_stopped / ec2_started after), so both timelines can be merged (docs/contracts.md §4).
 */
import { EMIT_EVENT_NAME } from "./events";
import { formatGoJson, ProvlogMarshalError, quoteGoString } from "./go-json";
import { formatGoLogTimestamp } from "./go-time";

export { formatGoJson, ProvlogMarshalError } from "./go-json";

/** Receives one record, without its line ending. */
export interface ProvlogWriter {
  write(line: string): void;
}

export interface EmitOptions {
  now?: () => Date;
  writer?: ProvlogWriter;
}

/**
 * `YYYY/MM/DD HH:MM:SS evt: <name> <json>`, no line ending.
 *
 * The stamp is UTC: the console's records must merge with the server logs, whose hosts run
 * UTC and whose Go logger writes the host's local time without a zone. Writing the console's
 * local time here would shift our records by the operator's offset in a merged timeline.
 *
 * Nil or empty fields give `{}` (seed: "nil-tolerant"). A payload that cannot be marshalled
 * gives `{"_marshal_err":"…"}` so the event itself is never lost (seed: "marshal-error fallback
 * preserves event boundary"). The line cannot contain CR or LF: the name is checked below, and
 * the JSON encoder escapes every control character (seed: "single-line output pinned").
 */
export function formatProvlogLine(name: string, fields: Record<string, unknown> | null | undefined, at: Date): string {
  // Names are constants in our code, so a bad one is a programming error, not a data error.
  if (!EMIT_EVENT_NAME.test(name)) throw new TypeError(`provlog: invalid event name ${JSON.stringify(name)}`);
  return `${formatGoLogTimestamp(at)} evt: ${name} ${formatPayload(fields)}`;
}

function formatPayload(fields: Record<string, unknown> | null | undefined): string {
  if (fields === null || fields === undefined) return "{}";
  try {
    const json = formatGoJson(fields);
    // Go's helper takes a map[string]any, so the payload is always an object; readers rely on
    // that (docs/contracts.md §4: a non-object payload is malformed). Only reachable by bypassing the types.
    if (json.charCodeAt(0) !== 0x7b) {
      throw new ProvlogMarshalError("json: provlog fields must marshal to an object");
    }
    return json;
  } catch (err) {
    if (!(err instanceof ProvlogMarshalError)) throw err;
    return `{"_marshal_err":${quoteGoString(err.message)}}`;
  }
}

const stderrWriter: ProvlogWriter = {
  // One write call per record, newline included, so concurrent writers cannot interleave
  // inside a line (Go's log.Logger makes the same one-Write-per-record guarantee).
  write: (line) => {
    process.stderr.write(`${line}\n`);
  },
};

/**
 * Formats and writes one record; returns the line written (without the newline).
 *
 * A failing writer is ignored, as Go's log.Printf ignores its writer's error: a record about
 * a Stop must never turn a successful Stop into a failed one.
 */
export function emit(
  name: string,
  fields: Record<string, unknown> | null | undefined,
  options: EmitOptions = {},
): string {
  const at = (options.now ?? (() => new Date()))();
  const line = formatProvlogLine(name, fields, at);
  try {
    (options.writer ?? stderrWriter).write(line);
  } catch {
    // deliberately dropped, see above
  }
  return line;
}
