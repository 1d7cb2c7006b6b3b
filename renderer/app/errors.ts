import { OpsClientError } from "../../core/api/ops-client";
import type { ErrorCode } from "../../core/api/views";

/** What to tell a person about a failure: the API's safe message plus what to do next. */
export function describeError(error: unknown): { code: string; message: string; hint: string | null } {
  if (!(error instanceof OpsClientError)) {
    return { code: "Internal", message: "something went wrong in the page", hint: "Reload from the printed URL." };
  }
  return { code: error.code, message: error.message, hint: hintOf(error.code) };
}

const RETRY = "The tenant or control plane did not answer as expected; try again, or check the connection in Settings.";

/** What to do next, for every code of core/errors.ts (a new code must say whether it has a hint). */
const HINTS: Record<ErrorCode, string | null> = {
  Unauthorized:
    "Open the URL that `molecule-ops serve` printed. The access token is kept in memory only, so a reload needs that URL again.",
  HostUnreachable: "Start the host again (`npx molecule-ops serve`) and open the URL it prints.",
  Config: "Add or choose a tenant profile in Settings.",
  NoBackend: "This profile has no control plane URL: set one in Settings, or use the tenant method.",
  Upstream: RETRY,
  Transport: RETRY,
  Timeout: RETRY,
  NotFound: "Run a sync (Shift+R) so the cache learns about it.",
  // A restart already running here, or the tenant's own refusal (409: the parent is paused).
  Conflict:
    "The message says what stands in the way: resolve that first (wait for the running restart, or resume the paused parent).",
  Gone: "The tenant removed this workspace: sync (Shift+R) to update the list.",
  Cancelled: null,
  Decode: null,
  Store: null,
  Usage: null,
  Input: null,
  Internal: null,
  Forbidden: null,
};

function hintOf(code: string): string | null {
  return Object.hasOwn(HINTS, code) ? HINTS[code as ErrorCode] : null;
}
