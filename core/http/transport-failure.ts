import { OpsError } from "../errors";

/**
 * What went wrong when a request got no usable answer, mapped to the codes the CP client uses
 * (docs/contracts.md §2 "every request cancellable", §5 "no secrets in errors"): the caller's abort is
 * Cancelled, our deadline is Timeout, anything else is Transport named by its system code
 * only, never by a message that could carry a URL or a payload.
 */
export interface FailureContext {
  /** Who did not answer, for the message: "tenant platform", "control plane". */
  peer: string;
  timeoutMs: number;
  deadline: AbortSignal | null;
  user: AbortSignal | undefined;
}

export function transportFailure(error: unknown, ctx: FailureContext): OpsError {
  if (error instanceof OpsError) return error;
  if (ctx.user?.aborted) return new OpsError("Cancelled", "cancelled", { cause: error });
  if (ctx.deadline?.aborted || isTimeoutError(error)) {
    return new OpsError("Timeout", `no answer from the ${ctx.peer} within ${formatSeconds(ctx.timeoutMs)}`, {
      cause: error,
    });
  }
  return new OpsError("Transport", `${ctx.peer} unreachable: ${transportReason(error)}`, { cause: error });
}

export function isTimeoutError(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === "UND_ERR_CONNECT_TIMEOUT" || code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT";
}

/** The system error code (ECONNREFUSED, ECONNRESET…) says what happened without any payload. */
export function transportReason(error: unknown): string {
  const e = error as { code?: unknown; cause?: { code?: unknown } } | null;
  const code = e?.cause?.code ?? e?.code;
  if (code === "ECONNREFUSED") return "connection refused";
  if (code === "ECONNRESET" || code === "UND_ERR_SOCKET") return "connection reset";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "host not found";
  // Only a code-shaped token is shown: an error message may quote the URL or a header.
  return typeof code === "string" && /^[A-Z0-9_]{2,40}$/.test(code) ? code : "connection failed";
}

function formatSeconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}
