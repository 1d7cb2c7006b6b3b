import type { IncomingMessage } from "node:http";
import type { RequestRecord } from "./types";

/** Bounded so a long-running `molecule-ops sim` does not grow without limit. */
const MAX_REQUESTS = 1000;

/**
 * What arrived and what was answered, so tests can assert "no HTTP call was made" (docs/contracts.md §2:
 * Stop/IsRunning without an instance on file) or which auth headers were sent.
 */
export class RequestLog {
  private readonly items: RequestRecord[] = [];

  constructor(private readonly now: () => number) {}

  open(req: IncomingMessage, path: string): RequestRecord {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
    }
    const record: RequestRecord = {
      method: req.method ?? "",
      path,
      url: req.url ?? "",
      route: null,
      status: 0,
      headers,
      bytes: 0,
      done: false,
      at: new Date(this.now()).toISOString(),
    };
    this.items.push(record);
    if (this.items.length > MAX_REQUESTS) this.items.splice(0, this.items.length - MAX_REQUESTS);
    return record;
  }

  list(): RequestRecord[] {
    return this.items.map((record) => structuredClone(record));
  }
}
