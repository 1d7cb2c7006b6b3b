import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { BugLog, type BugReport, BugReporter, dataDirLogPolicy } from "../core/api/bug-log";
import { CONTENT_SECURITY_POLICY } from "../core/api/content-security-policy";
import { answerRequest, apiError, failed } from "../core/api/dispatch";
import { answerExport, answerImport } from "../core/api/file-streams";
import { TOKEN_HEADER } from "../core/api/ops-client";
import type { OpsService } from "../core/api/ops-service";
import type { ExportInput } from "../core/api/schemas";
import { openSubscription, type SubscriptionMessage, streamSubscription } from "../core/api/subscription-stream";
import { httpStatusOf } from "../core/errors";
import { EXPORT_FILE_KINDS } from "../core/provlog/timeline-export";
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
 * every page gets the desktop app's CSP. It only moves bytes: answering, subscriptions, the file
 * operations and bug reports are the host kit's (core/api), as in the desktop app.
 */
export async function startBrowserHost(o: BrowserHostOptions): Promise<BrowserHost> {
  const token = o.token ?? randomBytes(32).toString("base64url");
  const bugs = new BugReporter({
    log: o.bugLog ?? new BugLog(dataDirLogPolicy(process.env)),
    name: "molecule-ops serve",
    print: (line) => process.stderr.write(`${line}\n`),
  }).report;
  const sockets = new Set<import("node:net").Socket>();
  let port = 0;
  const server = createServer((req, res) => {
    handle(req, res, o, token, port, bugs).catch((error: unknown) => {
      const answer = failed(o.service, error, `${req.method} ${(req.url ?? "").split("?")[0]?.slice(0, 80)}`, bugs);
      if (!res.headersSent) sendJson(res, 500, answer);
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

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  o: BrowserHostOptions,
  token: string,
  port: number,
  bugs: BugReport,
) {
  securityHeaders(res);
  if (!hostAllowed(req.headers.host, port)) return sendText(res, 421, "misdirected request: unknown Host");
  const url = new URL(req.url ?? "/", `http://127.0.0.1:${port}`);
  if (!url.pathname.startsWith("/api/")) return serveRenderer(req, res, o.rendererDir, url.pathname);

  res.setHeader("cache-control", "no-store");
  if (!originAllowed(headerOf(req, "origin"), port) || !fetchSiteAllowed(headerOf(req, "sec-fetch-site"))) {
    return sendAnswer(res, apiError("Forbidden", "cross-origin requests are refused"));
  }
  if (!tokenMatches(headerOf(req, TOKEN_HEADER), token)) {
    return sendAnswer(res, apiError("Unauthorized", "missing or wrong token: open the URL molecule-ops printed"));
  }
  const service = o.service;
  const request = /^\/api\/request\/([^/]+)$/.exec(url.pathname);
  if (request && req.method === "POST") {
    const name = decodedSegment(request[1] ?? "");
    if (name === null) return sendAnswer(res, apiError("Input", "malformed request name"));
    const input = await readJsonBody(req);
    if (!input.ok) return sendAnswer(res, apiError("Input", input.message));
    return sendAnswer(res, await answerRequest(service, name, input.value, bugs));
  }
  const subscription = /^\/api\/subscribe\/([^/]+)$/.exec(url.pathname);
  if (subscription && req.method === "GET") {
    return sendSubscription(req, res, service, subscription[1] ?? "", url, bugs);
  }
  if (url.pathname === "/api/export" && req.method === "POST") return sendExport(req, res, service, bugs);
  if (url.pathname === "/api/import" && req.method === "POST") {
    return sendAnswer(res, await answerImport(service, async () => req, bugs));
  }
  return sendAnswer(res, apiError("NotFound", "no such API route"));
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

/** Server-sent events: one `data:` line of {item} or {error} each, a comment now and then to keep it open. */
async function sendSubscription(
  req: IncomingMessage,
  res: ServerResponse,
  service: OpsService,
  rawName: string,
  url: URL,
  bugs: BugReport,
) {
  const name = decodedSegment(rawName);
  if (name === null) return sendAnswer(res, apiError("Input", "malformed subscription name"));
  let input: unknown;
  try {
    const raw = url.searchParams.get("input");
    input = raw ? JSON.parse(raw) : {};
  } catch {
    return sendAnswer(res, apiError("Input", "invalid input: not JSON"));
  }
  const opened = openSubscription(service, name, input);
  if (!opened.ok) return sendAnswer(res, opened);
  const stop = new AbortController();
  req.on("close", () => stop.abort());
  res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store" });
  res.write(": open\n\n");
  const heartbeat = setInterval(() => res.write(": keep-alive\n\n"), HEARTBEAT_MS);
  const deliver = (message: SubscriptionMessage) => {
    res.write(`data: ${JSON.stringify(message)}\n\n`);
    return true;
  };
  try {
    await streamSubscription(service, opened.subscription, stop.signal, deliver, bugs);
  } finally {
    clearInterval(heartbeat);
    res.end();
  }
}

/** The export as a download, its headers sent with the first bytes (an empty export is still a file). */
async function sendExport(req: IncomingMessage, res: ServerResponse, service: OpsService, bugs: BugReport) {
  const body = await readJsonBody(req);
  if (!body.ok) return sendAnswer(res, apiError("Input", body.message));
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const begin = (input: ExportInput) => {
    if (res.headersSent) return;
    res.writeHead(200, {
      "content-type": EXPORT_FILE_KINDS[input.format].contentType,
      "content-disposition": `attachment; filename="timeline-${stamp}.${EXPORT_FILE_KINDS[input.format].extension}"`,
    });
  };
  const answer = await answerExport(
    service,
    body.value,
    async (input) => {
      try {
        await service.exportTimeline(input, async (chunk) => {
          begin(input);
          if (!res.write(chunk)) await new Promise<void>((resolve) => res.once("drain", resolve));
        });
      } catch (error) {
        // The browser went away (a cancelled download): nobody to answer, and no bug to log.
        if (res.destroyed) return;
        throw error;
      }
      // Nothing matched: still a valid, empty export (CSV keeps its header from the writer).
      begin(input);
      res.end();
    },
    bugs,
  );
  if (answer.ok) return;
  if (res.headersSent) res.destroy();
  else sendAnswer(res, answer);
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

function securityHeaders(res: ServerResponse): void {
  res.setHeader("content-security-policy", CONTENT_SECURITY_POLICY);
  res.setHeader("x-content-type-options", "nosniff");
  res.setHeader("referrer-policy", "no-referrer");
  res.setHeader("x-frame-options", "DENY");
  res.setHeader("cross-origin-opener-policy", "same-origin");
  res.setHeader("cross-origin-resource-policy", "same-origin");
}

/** An answer with the HTTP status of its error code (core/errors.ts), 200 for a result. */
function sendAnswer(res: ServerResponse, answer: { ok: boolean; error?: { code: string } }): void {
  sendJson(res, answer.ok ? 200 : httpStatusOf(answer.error?.code ?? "Internal"), answer);
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
