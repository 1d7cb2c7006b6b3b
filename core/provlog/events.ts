/**
 * The event taxonomy of the Go platform's `internal/provlog` (commit 83454e5efd, refs #2867).
 * docs/contracts.md §4: the taxonomy is append-only, so this list documents the names we know about; the
 * parser keeps names that are not in it rather than dropping them.
 */
export const KNOWN_EVENTS = [
  "provision.start",
  "provision.skip_existing",
  "provision.ec2_started",
  "provision.ec2_stopped",
  "restart.pre_stop",
] as const;

export type KnownEvent = (typeof KNOWN_EVENTS)[number];

/**
 * What the console may emit: lower-case dotted `area.event`. Stricter than what the parser
 * accepts (`[A-Za-z0-9_.:-]+`) because our own names are constants we control, while the
 * server's future names are not (docs/contracts.md §4, append-only taxonomy).
 */
export const EMIT_EVENT_NAME = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/;

export function isKnownEvent(name: string): name is KnownEvent {
  return (KNOWN_EVENTS as readonly string[]).includes(name);
}
