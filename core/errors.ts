/**
 * Every error code that crosses a boundary (a CLI exit, an API answer, a page's message), what it
 * means, and the HTTP status the browser host answers it with: the one list (DESIGN "one host
 * kit"). A code is added here or nowhere; the renderer's hints and the hosts' answers are typed
 * by it. `null`: the code never travels over HTTP (the page itself makes it).
 */
export const ERROR_CODES = {
  // What an OpsError carries: the core's failures, with a message safe to show.
  NoBackend: { status: 412, means: "the client has no control plane configured" },
  Upstream: { status: 502, means: "the CP or tenant answered with a status we do not accept" },
  Transport: { status: 502, means: "the request never got an answer (refused, reset, DNS)" },
  Timeout: { status: 504, means: "the request ran past its deadline" },
  Cancelled: { status: 500, means: "the caller aborted" },
  Decode: { status: 502, means: "the answer was not the JSON we expect, or too large" },
  NotFound: { status: 404, means: "no such thing (in the cache, the catalogue, the upstream)" },
  Conflict: { status: 409, means: "something in the way: a running restart, the tenant's refusal" },
  Gone: { status: 410, means: "the tenant removed the workspace (410): final, retrying cannot help" },
  Store: { status: 500, means: "the local SQLite cache failed" },
  Config: { status: 412, means: "the environment or a flag is missing or wrong" },
  Usage: { status: 400, means: "the command line is wrong" },
  Input: { status: 400, means: "a file or argument given to us is unusable" },
  // What only a host answers.
  Internal: { status: 500, means: "a bug: its cause is in the host's log, redacted" },
  Forbidden: { status: 403, means: "a cross-origin request, or a frame outside the app" },
  Unauthorized: { status: 401, means: "the browser host's per-run token is missing or wrong" },
  // What only a page makes.
  HostUnreachable: { status: null, means: "the page cannot reach its host" },
} as const satisfies Record<string, { status: number | null; means: string }>;

/** Any code an API answer or a page's error may carry. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** The codes an OpsError carries (the core's own failures). */
export type OpsErrorCode = Exclude<ErrorCode, "Internal" | "Forbidden" | "Unauthorized" | "HostUnreachable">;

/** The HTTP status of an answer carrying `code`: 500 for anything not on the list. */
export function httpStatusOf(code: string): number {
  return (Object.hasOwn(ERROR_CODES, code) ? ERROR_CODES[code as ErrorCode].status : null) ?? 500;
}

/**
 * Errors are values with a code and a message that is safe to show a person or write to a
 * log: no secret, no token prefix, no raw upstream body (docs/contracts.md §5). Raw causes stay on
 * `cause` inside the process that caught them and are never serialised.
 */
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
