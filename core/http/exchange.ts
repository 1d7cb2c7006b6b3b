import { type Dispatcher, request } from "undici";
import { discardBody, readCapped } from "./read-capped";
import { transportFailure } from "./transport-failure";

export interface ExchangeOptions {
  method: "GET" | "POST" | "DELETE";
  /** Auth headers; JSON accept, content type and user agent are added here. */
  headers: Record<string, string>;
  body?: string;
  /** The deadline covers the whole exchange, body included. */
  timeoutMs: number;
  signal?: AbortSignal;
  dispatcher: Dispatcher;
  /** Who answers, for error messages: "control plane", "tenant platform". */
  peer: string;
}

/** An answer whose body is read only as far as the caller's cap, under the same deadline. */
export interface Exchange {
  status: number;
  /** The answer's headers, names lower-cased (Retry-After on a 429). */
  headers: Record<string, string | string[] | undefined>;
  read(cap: number): Promise<Buffer>;
  /** Drops the body unread (an error answer whose body must not be echoed). */
  discard(): void;
}

/**
 * One JSON request to an upstream of ours. Failures become safe OpsErrors: the caller's abort
 * is Cancelled, the deadline is Timeout, anything else Transport (docs/contracts.md §2, §5).
 */
export async function exchange(url: string, o: ExchangeOptions): Promise<Exchange> {
  const headers: Record<string, string> = { ...o.headers, accept: "application/json", "user-agent": "molecule-ops" };
  if (o.body !== undefined) headers["content-type"] = "application/json";
  const deadline = AbortSignal.timeout(o.timeoutMs);
  const signal = o.signal ? AbortSignal.any([deadline, o.signal]) : deadline;
  const fail = (error: unknown) =>
    transportFailure(error, { peer: o.peer, timeoutMs: o.timeoutMs, deadline, user: o.signal });
  let res: Dispatcher.ResponseData;
  try {
    res = await request(url, { method: o.method, headers, body: o.body, signal, dispatcher: o.dispatcher });
  } catch (error) {
    throw fail(error);
  }
  return {
    status: res.statusCode,
    headers: res.headers,
    async read(cap: number) {
      try {
        return await readCapped(res.body, cap);
      } catch (error) {
        throw fail(error);
      }
    },
    discard: () => discardBody(res.body),
  };
}
