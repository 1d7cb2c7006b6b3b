/**
 * Fault injection per route (docs/contracts.md §7): the failures the seed's incidents came from, on demand.
 * A fault applies to requests that passed auth, so `times` counts exactly the calls a test makes.
 */
export type Fault =
  /**
   * Answer with that status; `body` (default a JSON error) lets a test plant a fake secret in it.
   * A 429 without a body answers as the platform's rate limiter does (middleware/ratelimit.go):
   * Retry-After: `retryAfter` seconds (default 1), X-RateLimit-* headers and
   * {"error":"rate limit exceeded","retry_after":N}.
   */
  | { kind: "status"; status: number; body?: string; retryAfter?: number }
  /** Answer normally after a delay. */
  | { kind: "slow"; delayMs: number }
  /** Accept the request, never answer; the socket stays open until the client gives up or close(). */
  | { kind: "blackhole" }
  /** 200 with a huge body streamed in chunks, with backpressure, stopping when the client goes away. */
  | { kind: "oversized"; bytes: number; shape?: OversizedShape }
  /** 200 with truncated JSON, e.g. `{"state":"runn`. */
  | { kind: "malformed" }
  | { kind: "unauthorized" }
  /** Destroy the socket without answering. */
  | { kind: "reset" }
  /**
   * A connection that dies on its own afterMs later: on tenant.ws the upgrade succeeds and the
   * socket is then cut without a close frame (a feed that drops every few seconds); on an HTTP
   * route the socket is destroyed afterMs after the request, never answered.
   */
  | { kind: "drop"; afterMs: number };

/** padded-json: the normal answer then `bytes` spaces; json-string: one object whose string field is
 * `bytes` long; garbage: non-JSON. */
export type OversizedShape = "padded-json" | "json-string" | "garbage";

export const FAULT_ROUTES = [
  "cp.provision",
  "cp.stop",
  "cp.status",
  "cp.console",
  "tenant.list",
  "tenant.get",
  "tenant.restart",
  "tenant.console",
  "tenant.events",
  "tenant.workspace-events",
  "tenant.bootstrap-failed",
  "tenant.ws",
] as const;
export type FaultRoute = (typeof FAULT_ROUTES)[number];

export const FAULT_KINDS = [
  "status",
  "slow",
  "blackhole",
  "oversized",
  "malformed",
  "unauthorized",
  "reset",
  "drop",
] as const;

/** A websocket upgrade has no JSON body to inflate or truncate: only these make sense on tenant.ws. */
export const WS_FAULT_KINDS: readonly Fault["kind"][] = [
  "status",
  "slow",
  "blackhole",
  "unauthorized",
  "reset",
  "drop",
];
export const OVERSIZED_SHAPES: readonly OversizedShape[] = ["padded-json", "json-string", "garbage"];

export interface FaultController {
  /** times: how many requests it applies to (a /ws connection is one); default: until cleared. */
  set(route: string, fault: Fault, options?: { times?: number }): void;
  clear(route?: string): void;
  list(): Array<{ route: string; fault: Fault; remaining: number | null }>;
}

export function isFaultRoute(route: string): route is FaultRoute {
  return (FAULT_ROUTES as readonly string[]).includes(route);
}

export function assertFaultRoute(route: string): asserts route is FaultRoute {
  if (!isFaultRoute(route)) throw new Error(`unknown fault route "${route}"; valid routes: ${FAULT_ROUTES.join(", ")}`);
}

/** Refuses a fault its route cannot act out, rather than arming one that would silently do nothing. */
export function assertFaultApplies(route: FaultRoute, fault: Fault): void {
  if (route === "tenant.ws" && !WS_FAULT_KINDS.includes(fault.kind)) {
    throw new Error(`fault "${fault.kind}" does not apply to tenant.ws; valid there: ${WS_FAULT_KINDS.join(", ")}`);
  }
}

/** Checks a fault that arrived as data (POST /_sim/faults, a test's literal), field by field. */
export function validateFault(value: unknown): Fault {
  if (typeof value !== "object" || value === null) throw new Error("fault must be an object with a kind");
  const fault = value as Record<string, unknown>;
  const kind = fault.kind;
  const positiveInt = (name: string, max: number): number => {
    const n = fault[name];
    if (typeof n !== "number" || !Number.isInteger(n) || n < 0 || n > max) {
      throw new Error(`fault "${String(kind)}" needs ${name}: an integer between 0 and ${max}`);
    }
    return n;
  };
  switch (kind) {
    case "status": {
      const status = positiveInt("status", 599);
      if (status < 200) throw new Error('fault "status" needs status: an HTTP status between 200 and 599');
      if (fault.body !== undefined && typeof fault.body !== "string")
        throw new Error('fault "status": body must be a string');
      const out: Fault = fault.body === undefined ? { kind, status } : { kind, status, body: fault.body };
      if (fault.retryAfter !== undefined) {
        if (status !== 429) throw new Error('fault "status": retryAfter only goes with status 429');
        out.retryAfter = positiveInt("retryAfter", 3600);
      }
      return out;
    }
    case "slow":
      return { kind, delayMs: positiveInt("delayMs", 3_600_000) };
    case "drop":
      return { kind, afterMs: positiveInt("afterMs", 3_600_000) };
    case "oversized": {
      const bytes = positiveInt("bytes", Number.MAX_SAFE_INTEGER);
      const shape = fault.shape;
      if (shape === undefined) return { kind, bytes };
      if (!OVERSIZED_SHAPES.includes(shape as OversizedShape)) {
        throw new Error(`fault "oversized": shape must be one of ${OVERSIZED_SHAPES.join(", ")}`);
      }
      return { kind, bytes, shape: shape as OversizedShape };
    }
    case "blackhole":
    case "malformed":
    case "unauthorized":
    case "reset":
      return { kind };
    default:
      throw new Error(`unknown fault kind "${String(kind)}"; valid kinds: ${FAULT_KINDS.join(", ")}`);
  }
}

interface Armed {
  fault: Fault;
  remaining: number | null;
}

export class FaultTable implements FaultController {
  private readonly armed = new Map<FaultRoute, Armed>();

  set(route: string, fault: Fault, options: { times?: number } = {}): void {
    assertFaultRoute(route);
    const checked = validateFault(fault);
    assertFaultApplies(route, checked);
    const { times } = options;
    if (times !== undefined && (!Number.isInteger(times) || times < 1)) {
      throw new Error("fault times must be a positive integer");
    }
    this.armed.set(route, { fault: checked, remaining: times ?? null });
  }

  clear(route?: string): void {
    if (route === undefined) this.armed.clear();
    else this.armed.delete(route as FaultRoute);
  }

  list(): Array<{ route: string; fault: Fault; remaining: number | null }> {
    return [...this.armed].map(([route, armed]) => ({ route, fault: { ...armed.fault }, remaining: armed.remaining }));
  }

  /** The fault for this request, if any; consumes one of its `times`. */
  take(route: FaultRoute): Fault | undefined {
    const armed = this.armed.get(route);
    if (!armed) return undefined;
    if (armed.remaining !== null) {
      armed.remaining -= 1;
      if (armed.remaining <= 0) this.armed.delete(route);
    }
    return armed.fault;
  }
}
