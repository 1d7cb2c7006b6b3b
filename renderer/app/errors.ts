import { OpsClientError } from "../../core/api/ops-client";

/** What to tell a person about a failure: the API's safe message plus what to do next. */
export function describeError(error: unknown): { code: string; message: string; hint: string | null } {
  if (!(error instanceof OpsClientError)) {
    return { code: "Internal", message: "something went wrong in the page", hint: "Reload from the printed URL." };
  }
  return { code: error.code, message: error.message, hint: hintOf(error.code) };
}

function hintOf(code: string): string | null {
  switch (code) {
    case "Unauthorized":
      return "Open the URL that `molecule-ops serve` printed. The access token is kept in memory only, so a reload needs that URL again.";
    case "HostUnreachable":
      return "Start the host again (`npx molecule-ops serve`) and open the URL it prints.";
    case "Config":
      return "Add or choose a tenant profile in Settings.";
    case "NoBackend":
      return "This profile has no control plane URL: set one in Settings, or use the tenant method.";
    case "Upstream":
    case "Transport":
    case "Timeout":
      return "The tenant or control plane did not answer as expected; try again, or check the connection in Settings.";
    case "NotFound":
      return "Run a sync (Shift+R) so the cache learns about it.";
    case "Conflict":
      // A restart already running here, or the tenant's own refusal (409: the parent is paused).
      return "The message says what stands in the way: resolve that first (wait for the running restart, or resume the paused parent).";
    case "Gone":
      return "The tenant removed this workspace: sync (Shift+R) to update the list.";
    default:
      return null;
  }
}
