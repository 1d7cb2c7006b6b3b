import type { IncomingMessage, ServerResponse } from "node:http";
import { type LoopbackServer, type RecordedRequest, startLoopbackServer } from "./loopback-server";

/** One recorded HTTP answer: status, headers and the body's exact text ("" = no body at all). */
export interface HttpFixture {
  status: number;
  headers: Readonly<Record<string, string>>;
  body: string;
}

export interface FixtureServerOptions {
  /** The answer to a request no route matches. */
  notFound: HttpFixture;
  /**
   * Runs before routing, like a server's middleware: an answer returned here is sent instead of
   * the route's (and does not use up one of the route's answers).
   */
  before?: (req: IncomingMessage) => HttpFixture | null;
}

export interface FixtureServer extends LoopbackServer {
  /** Answers `method path` (path with its query, as sent) with these answers in turn; the last one repeats. */
  route(method: string, path: string, ...answers: HttpFixture[]): void;
  /** The requests that reached `method path` (middleware answers included). */
  requestsTo(method: string, path: string): RecordedRequest[];
}

/**
 * Go's net/http sends a handler's whole answer with a Content-Length when it fits the 2 KiB
 * buffer before the handler returns, and chunked otherwise; the server here does the same so a
 * client meets both framings.
 */
const GO_CHUNKING_THRESHOLD = 2048;

/** A loopback HTTP server that answers with recorded fixtures, byte for byte. */
export async function startFixtureServer(options: FixtureServerOptions): Promise<FixtureServer> {
  const routes = new Map<string, HttpFixture[]>();
  const key = (method: string, path: string) => `${method.toUpperCase()} ${path}`;
  const server = await startLoopbackServer((req, res) => {
    const early = options.before?.(req) ?? null;
    if (early) return sendFixture(res, early);
    const queue = routes.get(key(req.method ?? "", req.url ?? ""));
    if (!queue || queue.length === 0) return sendFixture(res, options.notFound);
    const answer = queue.length > 1 ? queue.shift()! : queue[0]!;
    sendFixture(res, answer);
  });
  return {
    ...server,
    route(method, path, ...answers) {
      if (answers.length === 0) throw new Error(`route ${key(method, path)}: no answer`);
      routes.set(key(method, path), [...answers]);
    },
    requestsTo(method, path) {
      return server.requests.filter((r) => r.method === method.toUpperCase() && r.path === path);
    },
  };
}

export function sendFixture(res: ServerResponse, fixture: HttpFixture): void {
  const body = Buffer.from(fixture.body, "utf8");
  const headers: Record<string, string> = { ...fixture.headers };
  if (body.length <= GO_CHUNKING_THRESHOLD) headers["Content-Length"] = String(body.length);
  res.writeHead(fixture.status, headers);
  res.end(body);
}
