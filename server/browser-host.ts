import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { answerRequest, parseExport, parseSubscription, safeError } from "../core/api/dispatch";
import { TOKEN_HEADER } from "../core/api/ops-client";
import type { OpsService } from "../core/api/ops-service";
import { BugLog, dataDirLogPolicy } from "../core/config/bug-log";
import { redactSecrets, stripControlChars } from "../core/config/redact";
import { OpsError } from "../core/errors";
import { CONTENT_SECURITY_POLICY } from "./content-security-policy";
import { fetchSiteAllowed, headerOf, hostAllowed, originAllowed, tokenMatches } from "./request-guard";
import { rendererFile } from "./static-files";

export interface BrowserHostOptions {
  service: OpsService;
  /** The built renderer (dist/renderer). */
  rendererDir: string;
  /** 0 (default): a random free port. */
  port?: number;
  /** Default: 32 random bytes, new every run. */
  token?: string;
  /** Where bugs' causes go (redacted). Default: `logs/` in the data folder. */
  bugLog?: BugLog;
}

export interface BrowserHost {
  /** Open this: the token rides in the fragment, which browsers never send to a server. */
  url: string;
  port: number;
  token: string;
  server: Server;
  close(): Promise<void>;
}

const JSON_BODY_LIMIT = 1 << 20;
const HEARTBEAT_MS = 15_000;

/**
 * The browser host (DESIGN: the UI testable in real Chromium, usable on a jump box): the built
 * renderer and the core/api catalogue over HTTP on 127.0.0.1 only. Host and Origin are checked on
 * every request (DNS rebinding, cross-site requests), every /api call needs the per-run token, and
 * every page gets the desktop app's CSP.
 */
export async function startBrowserHost(o: BrowserHostOptions): Promise<BrowserHost> {
  const token = o.token ?? randomBytes(32).toString("base64url");
  const bugLog = o.bugLog ?? new BugLog(dataDirLogPolicy(process.env));
  const failure = (error: unknown, where: string) => {
    if (!(error instanceof OpsError)) logInternal(bugLog, error, where, o.service.secrets());
    return safeError(error, o.service.secrets());
  };
  const sockets = new Set<import("node:net").Socket>();
  let port = 0;
  const server = createServer((req, res) => {
    handle(req, res, o, token, port, failure).catch((error: unknown) => {
      const safe = failure(error, `${req.method} ${(req.url ?? "").split("?")[0]?.slice(0, 80)}`);
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: safe });
      else res.destroy();
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    port,
    token,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}

/** A safe error for the answer; a bug's cause is logged on the way. */
type Failure = (error: unknown, where: string) => ReturnType<typeof safeError>;

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  o: BrowserHostOptions,
  token: string,
  port: number,
  failure: Failure,
) {
  securityHeaders(res);
  if (!hostAllowed(req.headers.host, port)) return sendText(res, 421, "misdirected request: unknown Host");
  const url = new URL(req.url ?? "/", `http://127.0.0.1:${port}`);
  if (!url.pathname.startsWith("/api/")) return serveRenderer(req, res, o.rendererDir, url.pathname);

  res.setHeader("cache-control", "no-store");
  if (!originAllowed(headerOf(req, "origin"), port) || !fetchSiteAllowed(headerOf(req, "sec-fetch-site"))) {
    return sendJson(res, 403, apiError("Forbidden", "cross-origin requests are refused"));
  }
  if (!tokenMatches(headerOf(req, TOKEN_HEADER), token)) {
    return sendJson(res, 401, apiError("Unauthorized", "missing or wrong token: open the URL molecule-ops printed"));
  }
  const service = o.service;
  const request = /^\/api\/request\/([^/]+)$/.exec(url.pathname);
  if (request && req.method === "POST") {
    const name = decodedSegment(request[1] ?? "");
    if (name === null) return sendJson(res, 400, apiError("Input", "malformed request name"));
    const input = await readJsonBody(req);
    if (!input.ok) return sendJson(res, 400, apiError("Input", input.message));
    const answer = await answerRequest(service, name, input.value, failure);
    return sendJson(res, answer.ok ? 200 : statusOf(answer.error.code), answer);
  }
  const subscription = /^\/api\/subscribe\/([^/]+)$/.exec(url.pathname);
  if (subscription && req.method === "GET") {
    return streamSubscription(req, res, service, subscription[1] ?? "", url, failure);
  }
  if (url.pathname === "/api/export" && req.method === "POST") return streamExport(req, res, service, failure);
  if (url.pathname === "/api/import" && req.method === "POST") return importUpload(req, res, service, failure);
  return sendJson(res, 404, apiError("NotFound", "no such API route"));
}

/** A path segment decoded, or null for a bad percent-escape: the client's mistake (400), not a bug (500). */
function decodedSegment(raw: string): string | null {
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}

async function serveRenderer(req: IncomingMessage, res: ServerResponse, root: string, path: string) {
  if (req.method !== "GET" && req.method !== "HEAD") return sendText(res, 405, "method not allowed");
  const file = await rendererFile(root, path);
  if (!file) {
    return sendText(
      res,
      404,
      path === "/" ? "the renderer is not built: run npm start (or npm run build)" : "not found",
    );
  }
  res.writeHead(200, { "content-type": file.type, "content-length": file.body.length });
  res.end(req.method === "HEAD" ? undefined : file.body);
}

async function streamSubscription(
  req: IncomingMessage,
  res: ServerResponse,
  service: OpsService,
  rawName: string,
  url: URL,
  failure: Failure,
) {
  const name = decodedSegment(rawName);
  if (name === null) return sendJson(res, 400, apiError("Input", "malformed subscription name"));
  let parsed: ReturnType<typeof parseSubscription>;
  try {
    const raw = url.searchParams.get("input");
    parsed = parseSubscription(name, raw ? JSON.parse(raw) : {});
  } catch (error) {
    const e = error instanceof SyntaxError ? new OpsError("Input", "invalid input: not JSON") : error;
    const safe = failure(e, `subscribe ${rawName.slice(0, 60)}`);
    return sendJson(res, statusOf(safe.code), { ok: false, error: safe });
  }
  const stop = new AbortController();
  req.on("close", () => stop.abort());
  res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store" });
  res.write(": open\n\n");
  const heartbeat = setInterval(() => res.write(": keep-alive\n\n"), HEARTBEAT_MS);
  try {
    for await (const item of service.subscribe(parsed.name, parsed.input as never, stop.signal)) {
      if (stop.signal.aborted) break;
      res.write(`data: ${JSON.stringify({ item })}\n\n`);
    }
  } catch (error) {
    if (!stop.signal.aborted) {
      res.write(`data: ${JSON.stringify({ error: failure(error, `subscription ${parsed.name}`) })}\n\n`);
    }
  } finally {
    clearInterval(heartbeat);
    res.end();
  }
}

async function streamExport(req: IncomingMessage, res: ServerResponse, service: OpsService, failure: Failure) {
  const body = await readJsonBody(req);
  if (!body.ok) return sendJson(res, 400, apiError("Input", body.message));
  let input: ReturnType<typeof parseExport>;
  try {
    input = parseExport(body.value);
  } catch (error) {
    const safe = failure(error, "export");
    return sendJson(res, statusOf(safe.code), { ok: false, error: safe });
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const ext = input.format === "csv" ? "csv" : "jsonl";
  let started = false;
  try {
    await service.exportTimeline(input, async (chunk) => {
      if (!started) {
        started = true;
        res.writeHead(200, {
          "content-type": input.format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
          "content-disposition": `attachment; filename="timeline-${stamp}.${ext}"`,
        });
      }
      if (!res.write(chunk)) await new Promise<void>((resolve) => res.once("drain", resolve));
    });
    if (!started) {
      // Nothing matched: still a valid, empty export (CSV keeps its header from the writer).
      res.writeHead(200, {
        "content-type": input.format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
        "content-disposition": `attachment; filename="timeline-${stamp}.${ext}"`,
      });
    }
    res.end();
  } catch (error) {
    // The browser went away (a cancelled download): nobody to answer, and no bug to log.
    if (res.destroyed) return;
    const safe = failure(error, "export");
    if (!started) return sendJson(res, statusOf(safe.code), { ok: false, error: safe });
    res.destroy();
  }
}

async function importUpload(req: IncomingMessage, res: ServerResponse, service: OpsService, failure: Failure) {
  try {
    const report = await service.importLog(req);
    return sendJson(res, 200, { ok: true, result: report });
  } catch (error) {
    const safe = failure(error, "import");
    return sendJson(res, statusOf(safe.code), { ok: false, error: safe });
  }
}

async function readJsonBody(
  req: IncomingMessage,
): Promise<{ ok: true; value: unknown } | { ok: false; message: string }> {
  const type = headerOf(req, "content-type") ?? "";
  // Only JSON: a cross-site HTML form cannot send it without a CORS preflight we never answer.
  if (!/^application\/json\b/i.test(type)) return { ok: false, message: "the body must be application/json" };
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > JSON_BODY_LIMIT) return { ok: false, message: "the body is larger than 1 MiB" };
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, message: "the body is not valid JSON" };
  }
}

/**
 * A bug's cause, for whoever runs the host: the whole of it (stack, causes), redacted, in the log
 * file; the terminal gets one line saying where. Only if the log cannot be written does the
 * terminal get the redacted message itself, so that the cause is never lost.
 */
function logInternal(log: BugLog, error: unknown, where: string, secrets: readonly string[]): void {
  const safe = (text: string) => stripControlChars(redactSecrets(text, secrets));
  if (log.write(where, error, secrets)) {
    process.stderr.write(
      `molecule-ops serve: internal error in ${safe(where)}; its cause is logged in ${log.policy.path}\n`,
    );
    return;
  }
  const detail = error instanceof Error ? error.message : String(error);
  process.stderr.write(`molecule-ops serve: internal error in ${safe(where)}: ${safe(detail)}\n`);
}

function securityHeaders(res: ServerResponse): void {
  res.setHeader("content-security-policy", CONTENT_SECURITY_POLICY);
  res.setHeader("x-content-type-options", "nosniff");
  res.setHeader("referrer-policy", "no-referrer");
  res.setHeader("x-frame-options", "DENY");
  res.setHeader("cross-origin-opener-policy", "same-origin");
  res.setHeader("cross-origin-resource-policy", "same-origin");
}

function statusOf(code: string): number {
  switch (code) {
    case "Input":
    case "Usage":
      return 400;
    case "NotFound":
      return 404;
    case "Conflict":
      return 409;
    case "Gone":
      return 410;
    case "Config":
    case "NoBackend":
      return 412;
    case "Upstream":
    case "Transport":
    case "Decode":
      return 502;
    case "Timeout":
      return 504;
    default:
      return 500;
  }
}

function apiError(code: string, message: string) {
  return { ok: false, error: { code, message } };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8" });
  res.end(text);
}
