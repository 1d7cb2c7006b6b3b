import {
  assertFaultApplies,
  assertFaultRoute,
  FAULT_KINDS,
  type Fault,
  type FaultRoute,
  OVERSIZED_SHAPES,
  validateFault,
} from "./faults";

export interface FaultSpec {
  route: FaultRoute;
  fault: Fault;
  /** Absent: until cleared. */
  times?: number;
}

const USAGE =
  "expected <route>=<fault>[x<times>], faults: <status e.g. 503>, status:<code>, 429[:<retry-after s>], slow:<ms>, " +
  `blackhole, oversized:<bytes>[k|m|g][:${OVERSIZED_SHAPES.join("|")}], malformed, unauthorized, reset, drop:<ms> ` +
  "(e.g. cp.status=503, cp.console=slow:5000, cp.stop=503x2, tenant.ws=drop:3000, tenant.list=429:5x2)";

const SIZE_UNITS: Record<string, number> = {
  "": 1,
  k: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gib: 1024 ** 3,
};

/**
 * `molecule-ops sim --fault <spec>`: e.g. "cp.status=503", "cp.console=oversized:50m", "cp.stop=resetx2",
 * "tenant.ws=drop:3000" (every feed connection is cut 3 s after it opens), "tenant.list=429x2" (the
 * rate limiter's answer, Retry-After: 1, twice), "tenant.list=429:5" (Retry-After: 5).
 */
export function parseFaultSpec(spec: string): FaultSpec {
  const eq = spec.indexOf("=");
  if (eq <= 0) throw new Error(`bad fault spec "${spec}": ${USAGE}`);
  const route = spec.slice(0, eq).trim();
  try {
    assertFaultRoute(route);
  } catch (error) {
    throw new Error(`bad fault spec "${spec}": ${(error as Error).message}`);
  }
  let body = spec.slice(eq + 1).trim();
  let times: number | undefined;
  const counted = /^(.+?)x(\d+)$/i.exec(body);
  if (counted?.[1] !== undefined && counted[2] !== undefined) {
    body = counted[1];
    times = Number(counted[2]);
    if (times < 1) throw new Error(`bad fault spec "${spec}": times must be at least 1`);
  }
  const fault = parseFault(body, spec);
  try {
    assertFaultApplies(route, fault);
  } catch (error) {
    throw new Error(`bad fault spec "${spec}": ${(error as Error).message}`);
  }
  return times === undefined ? { route, fault } : { route, fault, times };
}

function parseFault(body: string, spec: string): Fault {
  const [kind = "", ...args] = body.split(":");
  const fail = (why: string): never => {
    throw new Error(`bad fault spec "${spec}": ${why}; ${USAGE}`);
  };
  const integer = (text: string | undefined, what: string): number => {
    if (text === undefined || !/^\d+$/.test(text)) return fail(`${what} must be a whole number`);
    return Number(text);
  };
  let fault: unknown;
  if (/^\d{3}$/.test(kind) && args.length === 0) fault = { kind: "status", status: Number(kind) };
  else if (kind === "429" && args.length === 1)
    fault = { kind: "status", status: 429, retryAfter: integer(args[0], "retry-after (s)") };
  else if (kind === "status" && args.length === 1) fault = { kind, status: integer(args[0], "status") };
  else if (kind === "slow" && args.length === 1) fault = { kind, delayMs: integer(args[0], "delay (ms)") };
  else if (kind === "drop" && args.length === 1) fault = { kind, afterMs: integer(args[0], "drop delay (ms)") };
  else if (kind === "oversized" && (args.length === 1 || args.length === 2)) {
    const size = /^(\d+)([a-z]*)$/i.exec(args[0] ?? "");
    const unit = SIZE_UNITS[(size?.[2] ?? "").toLowerCase()];
    if (!size || unit === undefined) return fail("size must be bytes, optionally with k, m or g");
    fault = { kind, bytes: Number(size[1]) * unit, ...(args[1] === undefined ? {} : { shape: args[1] }) };
  } else if (["blackhole", "malformed", "unauthorized", "reset"].includes(kind) && args.length === 0) fault = { kind };
  else if ((FAULT_KINDS as readonly string[]).includes(kind)) return fail(`wrong arguments for "${kind}"`);
  else return fail(`unknown fault "${kind}"; valid kinds: ${FAULT_KINDS.join(", ")}`);
  try {
    return validateFault(fault);
  } catch (error) {
    return fail((error as Error).message);
  }
}
