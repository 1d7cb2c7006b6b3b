import { redactSecrets, stripControlChars } from "../config/redact";
import { type ErrorCode, OpsError } from "../errors";
import type { BugReport } from "./bug-log";
import type { OpsService } from "./ops-service";
import { type RequestName, requestInputs, type SubscriptionName, subscriptionInputs } from "./schemas";
import { type ExportInput, exportInput } from "./timeline";
import type { ApiError } from "./views";

/** What a host sends back for one request: a result, or a safe error. */
export type Answer<R = unknown> = { ok: true; result: R } | { ok: false; error: ApiError };

/** A refusal a host answers itself (not a handler's error): its code one of core/errors.ts's. */
export function apiError(code: ErrorCode, message: string): Answer<never> {
  return { ok: false, error: { code, message } };
}

export function isRequestName(name: string): name is RequestName {
  return Object.hasOwn(requestInputs, name);
}

export function isSubscriptionName(name: string): name is SubscriptionName {
  return Object.hasOwn(subscriptionInputs, name);
}

/**
 * Validates a request from an untrusted renderer against its schema and runs it. Every failure
 * becomes `{code, message}` with a message safe to show: OpsError messages are written to be, and
 * anything else (a bug) is reported as an internal error without its details.
 */
export async function answerRequest(
  service: Pick<OpsService, "invoke" | "secrets">,
  name: string,
  raw: unknown,
  /** Told about bugs (anything but an OpsError), for the host's own log; the caller gets "internal error". */
  bugs?: BugReport,
): Promise<Answer> {
  try {
    if (!isRequestName(name)) throw new OpsError("NotFound", `no API request named ${describeName(name)}`);
    const input = parse(requestInputs[name], raw);
    return { ok: true, result: await service.invoke(name, input as never) };
  } catch (error) {
    return failed(service, error, clip(name, 60), bugs);
  }
}

/**
 * A failure as a host answers it: `{ok: false, error}` with a safe error; a bug (anything but an
 * OpsError) is reported on the way, so that its cause reaches the host's log.
 */
export function failed(
  service: Pick<OpsService, "secrets">,
  error: unknown,
  where: string,
  bugs?: BugReport,
): { ok: false; error: ApiError } {
  if (!(error instanceof OpsError)) bugs?.(where, error, service.secrets());
  return { ok: false, error: safeError(error, service.secrets()) };
}

export function parseSubscription(name: string, raw: unknown): { name: SubscriptionName; input: unknown } {
  if (!isSubscriptionName(name)) throw new OpsError("NotFound", `no API subscription named ${describeName(name)}`);
  return { name, input: parse(subscriptionInputs[name], raw) };
}

export function parseExport(raw: unknown): ExportInput {
  return parse(exportInput, raw) as ExportInput;
}

function parse(
  schema: { safeParse(v: unknown): { success: boolean; data?: unknown; error?: { issues: Issue[] } } },
  raw: unknown,
): unknown {
  const r = schema.safeParse(raw ?? {});
  if (r.success) return r.data;
  const issue = r.error?.issues[0];
  const where = issue?.path?.length ? `${issue.path.map(String).join(".")}: ` : "";
  throw new OpsError("Input", `invalid input: ${clip(`${where}${issue?.message ?? "not accepted"}`)}`);
}

interface Issue {
  path?: PropertyKey[];
  message: string;
}

export function safeError(error: unknown, secrets: readonly string[]): ApiError {
  if (error instanceof OpsError) return { code: error.code, message: clip(redactSecrets(error.message, secrets)) };
  return { code: "Internal", message: "internal error; see the host's log" };
}

function describeName(name: string): string {
  return JSON.stringify(clip(name, 60));
}

function clip(text: string, max = 500): string {
  const clean = stripControlChars(text);
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}
