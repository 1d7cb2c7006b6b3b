/**
 * Errors are values with a code and a message that is safe to show a person or write to a
 * log: no secret, no token prefix, no raw upstream body (SPEC §5). Raw causes stay on
 * `cause` inside the process that caught them and are never serialised.
 */
export type OpsErrorCode =
  | "NoBackend" // the client has no control plane configured
  | "Upstream" // the CP or tenant answered with a status we do not accept
  | "Transport" // the request never got an answer (refused, reset, DNS)
  | "Timeout" // the request ran past its deadline
  | "Cancelled" // the caller aborted
  | "Decode" // the answer was not the JSON we expect, or too large
  | "NotFound"
  | "Conflict"
  | "Gone" // the tenant removed the workspace (410): final, retrying cannot help
  | "Store" // the local SQLite cache failed
  | "Config" // the environment or a flag is missing or wrong
  | "Usage" // the command line is wrong
  | "Input"; // a file or argument given to us is unusable

export class OpsError extends Error {
  readonly code: OpsErrorCode;
  /** HTTP status of the upstream answer, when there was one. */
  readonly status?: number;

  constructor(code: OpsErrorCode, message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "OpsError";
    this.code = code;
    if (options.status !== undefined) this.status = options.status;
  }

  /** What crosses a process or API boundary: code and safe message only. */
  toJSON(): { code: OpsErrorCode; message: string; status?: number } {
    return this.status === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, status: this.status };
  }
}

export function isOpsError(value: unknown): value is OpsError {
  return value instanceof OpsError;
}
