import { stripControlChars } from "../config/redact";
import type { Redactor } from "../config/redactor";
import { OpsError } from "../errors";
import { isRecord } from "./tenant-records";

/** Which request failed, for messages: the operation and, for per-workspace routes, the workspace. */
export interface TenantOp {
  name: string;
  workspaceId?: string;
}

/** What an error answer said, read from at most a few KiB of its body and never shown whole. */
export interface ErrorAnswer {
  status: number;
  /** No body at all (or only white space): the org guard's and the SaaS edge's 404. */
  empty: boolean;
  /** The platform's own `error` field, made safe (no secret, no control character, ≤ 200 chars). */
  reason: string | null;
  /** 410's removed_at, as sent. */
  removedAt: string | null;
  /** 429's Retry-After in seconds, when the header was a number. */
  retryAfterS: number | null;
}

const REASON_MAX = 200;

/** Reads an error body's `error` field; the rest of the body is dropped unread (docs/contracts.md §5). */
export function parseErrorAnswer(
  status: number,
  body: Buffer | null,
  retryAfter: string | undefined,
  redactor: Redactor,
): ErrorAnswer {
  const text = body === null ? null : body.toString("utf8");
  let fields: Record<string, unknown> = {};
  if (text) {
    try {
      const value: unknown = JSON.parse(text);
      if (isRecord(value)) fields = value;
    } catch {
      // Not JSON (an HTML error page, a proxy's text): only the status is used.
    }
  }
  return {
    status,
    empty: text !== null && text.trim() === "",
    reason: typeof fields.error === "string" ? safeReason(fields.error, redactor) : null,
    removedAt: typeof fields.removed_at === "string" ? safeReason(fields.removed_at, redactor) : null,
    retryAfterS: retryAfter !== undefined && /^\d+$/.test(retryAfter.trim()) ? Number(retryAfter.trim()) : null,
  };
}

/**
 * An error answer as an OpsError whose message a person can act on. The tenant's own reason is
 * shown where the platform means something by it (409: "the parent workspace is paused"; 503:
 * "provisioner not available"); a 401's body may echo our headers and is never used.
 */
export function tenantError(op: TenantOp, a: ErrorAnswer, adminTokenSet: boolean): OpsError {
  const what = describeOp(op);
  const s = { status: a.status };
  const why = a.reason ? `: ${a.reason}` : "";
  switch (a.status) {
    case 400:
      return new OpsError("Input", `${what}: the tenant refused the request (400)${why}`, s);
    case 401:
      // Never the token, nor its first characters (docs/contracts.md §5): whether it was set is enough.
      return new OpsError(
        "Upstream",
        adminTokenSet
          ? `${what}: the tenant platform refused ADMIN_TOKEN (401): check that it is this tenant's admin token`
          : `${what}: the tenant platform requires ADMIN_TOKEN (401), which is not set`,
        s,
      );
    case 403:
      // gin-contrib/cors, ahead of everything on the platform, answers an empty 403 to an Origin
      // that is not the request's own Host: the tenant URL is not the tenant's own address.
      if (a.empty) {
        return new OpsError(
          "Config",
          `${what}: the tenant refused the request's Origin (an empty 403): MOLECULE_TENANT_URL must be the tenant's own URL, as its Host header sees it`,
          s,
        );
      }
      break;
    case 404:
      // The org guard answers a wrong org id with an empty 404 before any auth, and on SaaS the
      // edge answers a request without Origin with the web UI's empty 404: neither means "no such
      // workspace", and blaming the workspace id would send people looking in the wrong place.
      if (a.empty || a.reason === null) {
        return new OpsError(
          "Config",
          `${what}: the tenant answered ${a.empty ? "an empty 404" : "a 404 that is not the platform's"}: check MOLECULE_ORG_ID (its org guard answers so for another org) and MOLECULE_TENANT_URL (the tenant's own URL)`,
          s,
        );
      }
      return new OpsError(
        "NotFound",
        op.workspaceId === undefined
          ? `${what}: not found (404)${why}`
          : `${what}: no such workspace on the tenant (404)`,
        s,
      );
    case 409:
      return new OpsError("Conflict", `${what}: the tenant refused (409)${why || ": conflict"}`, s);
    case 410:
      return new OpsError(
        "Gone",
        `${what}: the workspace was removed on the tenant (410${a.removedAt ? `, removed ${a.removedAt}` : ""})`,
        s,
      );
    case 429:
      return new OpsError(
        "Upstream",
        `${what}: the tenant is rate-limiting this client (429)${a.retryAfterS === null ? "" : `: retry after ${a.retryAfterS} s`}`,
        s,
      );
    case 500:
      return new OpsError("Upstream", `${what}: the tenant platform failed (500)${why}`, s);
    case 501:
      if (op.name === "console") return new OpsError("NoBackend", `${what}: this tenant has no control plane (501)`, s);
      break;
    case 502:
      if (op.name === "console") return new OpsError("Upstream", `${what}: the tenant's control plane failed (502)`, s);
      break;
    case 503:
      return new OpsError("Upstream", `${what}: the tenant platform is unavailable (503)${why}`, s);
  }
  return new OpsError("Upstream", `${what}: unexpected ${a.status}`, s);
}

export function describeOp(op: TenantOp): string {
  if (op.workspaceId === undefined) return op.name;
  return `${op.name} ${cut(stripControlChars(op.workspaceId), 80)}`;
}

/** Redact first, cut after: a cut must never leave a secret's start behind. */
function safeReason(text: string, redactor: Redactor): string {
  return cut(redactor.text(stripControlChars(text)).trim(), REASON_MAX);
}

function cut(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length > max ? `${chars.slice(0, max).join("")}…` : text;
}
