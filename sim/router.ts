import type { IncomingMessage } from "node:http";
import type { AuthGate } from "./auth";
import type { FaultTable } from "./faults";
import type { Reply } from "./http-io";
import type { SimWorld } from "./state";

export interface RouteContext {
  req: IncomingMessage;
  url: URL;
  /** Decoded path parameters, in pattern order. */
  params: string[];
  /** The raw request body. */
  rawBody: Buffer;
  /** The parsed JSON body, for routes declared `json`. */
  body: unknown;
  world: SimWorld;
  faults: FaultTable;
  /** Aborted when the client goes away or the sim closes. */
  signal: AbortSignal;
}

export interface RouteDef {
  /** A fault-route name (faults.ts) or "sim.faults"; other names are logged but take no faults. */
  name: string;
  method: string;
  pattern: RegExp;
  gate: AuthGate;
  /** The body must be a JSON document (400 "request body must be valid JSON" otherwise). */
  json?: boolean;
  handle(ctx: RouteContext): Reply | Promise<Reply>;
}

export type RouteMatch =
  | { kind: "found"; route: RouteDef; params: string[] }
  | { kind: "method"; allowed: string[] }
  | { kind: "bad-path" }
  | { kind: "none" };

export function matchRoute(routes: readonly RouteDef[], method: string, path: string): RouteMatch {
  const allowed: string[] = [];
  for (const route of routes) {
    const match = route.pattern.exec(path);
    if (!match) continue;
    if (route.method !== method) {
      allowed.push(route.method);
      continue;
    }
    try {
      return { kind: "found", route, params: match.slice(1).map((part) => decodeURIComponent(part ?? "")) };
    } catch {
      return { kind: "bad-path" };
    }
  }
  return allowed.length > 0 ? { kind: "method", allowed: [...new Set(allowed)] } : { kind: "none" };
}

/** Whether a path's percent-encoding is valid (Go's net/http refuses the request line otherwise). */
export function validPathEncoding(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}
