/** provlog: the provisioning timeline records shared with the Go platform (docs/contracts.md §4). */
export {
  type EmitOptions,
  emit,
  formatGoJson,
  formatProvlogLine,
  ProvlogMarshalError,
  type ProvlogWriter,
} from "./emit";
export { isKnownEvent, KNOWN_EVENTS, type KnownEvent } from "./events";
export { type ParsedLine, parseGoTimestamp, parseProvlogLine } from "./parse";
