import { type ImportReportView, OpsClientError, TOKEN_HEADER } from "../core/api/ops-client";
import type { ExportInput, RequestInput, RequestName, SubscriptionInput, SubscriptionName } from "../core/api/schemas";
import type { ApiError, RequestResults, SubscriptionItems } from "../core/api/views";
import { reconnectDelay } from "./transport/backoff";
import { HostLink } from "./transport/host-link";
import { fileNameOf, saveBlob } from "./transport/save-blob";
import { SseParser } from "./transport/sse-parser";
import type { UiOpsClient } from "./ui-ops-client";

/**
 * Reads the per-run token from the URL fragment the page was opened with (#token=…) and removes
 * it from the visible URL at once. The token lives only in this closure: never in localStorage,
 * sessionStorage or a cookie, so a reload needs the printed URL again (by design).
 */
export function takeTokenFromLocation(loc: Location = location, hist: History = history): string | null {
  const match = /(?:^#|[#&])token=([^&]+)/.exec(loc.hash);
  if (!match?.[1]) return null;
  let token: string;
  try {
    token = decodeURIComponent(match[1]);
  } catch {
    return null;
  }
  hist.replaceState(null, "", `${loc.pathname}${loc.search}`);
  return token;
}

const UNREACHABLE = "cannot reach the molecule-ops host: is `molecule-ops serve` still running?";

/** Subscriptions that stay open for the page's life: when their stream ends, it is reopened. */
const ENDLESS: ReadonlySet<string> = new Set(["live"]);

/** The OpsClient over the browser host's HTTP protocol (see core/api/ops-client.ts). */
export function createHttpClient(token: string | null, base = ""): UiOpsClient {
  const link = new HostLink();

  /**
   * `sent` explains a request that failed before any answer when the host is not to blame (the
   * body could not be read); null means the host is unreachable.
   */
  async function call(path: string, init: RequestInit, sent?: () => Promise<OpsClientError | null>): Promise<Response> {
    const headers = new Headers(init.headers);
    if (token) headers.set(TOKEN_HEADER, token);
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, { ...init, headers, cache: "no-store", credentials: "omit" });
    } catch (error) {
      if ((error as Error).name === "AbortError") throw error;
      const local = sent ? await sent() : null;
      if (local) throw local;
      link.set(false, UNREACHABLE);
      throw new OpsClientError("HostUnreachable", UNREACHABLE);
    }
    link.set(true);
    return res;
  }

  async function postJson(path: string, body: unknown): Promise<Response> {
    return call(path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body ?? {}),
    });
  }

  return {
    kind: "http",
    link,

    async invoke<N extends RequestName>(name: N, input: RequestInput<N>): Promise<RequestResults[N]> {
      const res = await postJson(`/api/request/${encodeURIComponent(name)}`, input);
      return (await answerOf(res)) as RequestResults[N];
    },

    subscribe<N extends SubscriptionName>(
      name: N,
      input: SubscriptionInput<N>,
      onItem: (item: SubscriptionItems[N]) => void,
      onError?: (error: OpsClientError) => void,
    ): () => void {
      let stopped = false;
      let controller: AbortController | null = null;
      let timer: ReturnType<typeof setTimeout> | null = null;
      let attempt = 0;
      const path = `/api/subscribe/${encodeURIComponent(name)}?input=${encodeURIComponent(JSON.stringify(input ?? {}))}`;

      const fail = (error: OpsClientError) => {
        if (stopped) return;
        stopped = true;
        onError?.(error);
      };

      const open = async () => {
        controller = new AbortController();
        let dropped = false;
        try {
          const res = await call(path, { headers: { accept: "text/event-stream" }, signal: controller.signal });
          if (!res.ok || !res.body) {
            const error = await errorOf(res);
            // 4xx: the request itself is refused (token, input, name); retrying cannot help.
            if (res.status < 500) return fail(error);
            dropped = true;
          } else {
            const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
            const parser = new SseParser();
            for (;;) {
              const { value, done } = await reader.read();
              if (done || stopped) break;
              for (const data of parser.push(value)) {
                const message = parseMessage(data);
                if (!message) continue;
                if ("error" in message) return fail(new OpsClientError(message.error.code, message.error.message));
                attempt = 0;
                onItem(message.item as SubscriptionItems[N]);
                if (stopped) return;
              }
            }
            dropped = ENDLESS.has(name);
          }
        } catch (error) {
          if (stopped) return;
          // The stream broke mid-way (host stopped, network): the link is down until a reconnect works.
          if ((error as Error).name !== "AbortError") link.set(false, UNREACHABLE);
          dropped = true;
        }
        if (dropped && !stopped) {
          timer = setTimeout(() => void open(), reconnectDelay(attempt++));
        }
      };

      void open();
      return () => {
        stopped = true;
        if (timer) clearTimeout(timer);
        controller?.abort();
      };
    },

    async exportTimeline(input: ExportInput): Promise<{ rows: number; saved: boolean }> {
      const res = await postJson("/api/export", input);
      if (!res.ok || !res.body) throw await errorOf(res);
      const name = fileNameOf(res.headers.get("content-disposition")) ?? `timeline.${input.format}`;
      // Read as bytes and count lines on the way: the row count without decoding the whole file.
      const chunks: Uint8Array[] = [];
      let newlines = 0;
      let last = 10;
      const reader = res.body.getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        chunks.push(value);
        for (let i = value.indexOf(10); i !== -1; i = value.indexOf(10, i + 1)) newlines++;
        if (value.length > 0) last = value[value.length - 1] ?? 10;
      }
      const lines = newlines + (last === 10 ? 0 : 1);
      const rows = input.format === "csv" ? Math.max(0, lines - 1) : lines;
      const type = res.headers.get("content-type") ?? "application/octet-stream";
      saveBlob(new Blob(chunks as BlobPart[], { type }), name);
      return { rows, saved: true };
    },

    async importLog(file: Blob & { name: string }): Promise<ImportReportView> {
      const res = await call(
        `/api/import?name=${encodeURIComponent(file.name)}`,
        {
          method: "POST",
          headers: { "content-type": "application/octet-stream" },
          body: file,
        },
        // The browser refuses to upload a file that changed after it was chosen (a server log the
        // tenant is still writing: net::ERR_UPLOAD_FILE_CHANGED) or that can no longer be read.
        // That is no reason to call the host unreachable and the whole app offline.
        async () => ((await unreadable(file)) ? new OpsClientError("Input", unreadableMessage(file.name)) : null),
      );
      return (await answerOf(res)) as ImportReportView;
    },
  };
}

/** Whether the chosen file can no longer be read as chosen (changed, moved or deleted since). */
async function unreadable(file: Blob): Promise<boolean> {
  try {
    await file.slice(0, 1).arrayBuffer();
    return false;
  } catch {
    return true;
  }
}

function unreadableMessage(name: string): string {
  return `${name} changed or could not be read after it was chosen (a log still being written?): choose it again, or import a copy`;
}

type Message = { item: unknown } | { error: ApiError };

function parseMessage(data: string): Message | null {
  try {
    const value = JSON.parse(data) as unknown;
    if (typeof value !== "object" || value === null) return null;
    if ("error" in value && isApiError((value as { error: unknown }).error)) return value as Message;
    if ("item" in value) return value as Message;
    return null;
  } catch {
    return null;
  }
}

function isApiError(value: unknown): value is ApiError {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as ApiError).code === "string" &&
    typeof (value as ApiError).message === "string"
  );
}

async function answerOf(res: Response): Promise<unknown> {
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    throw statusError(res.status);
  }
  if (typeof body === "object" && body !== null && "ok" in body) {
    const answer = body as { ok: boolean; result?: unknown; error?: unknown };
    if (answer.ok) return answer.result;
    if (isApiError(answer.error)) throw new OpsClientError(answer.error.code, answer.error.message);
  }
  throw statusError(res.status);
}

async function errorOf(res: Response): Promise<OpsClientError> {
  try {
    await answerOf(res);
  } catch (error) {
    if (error instanceof OpsClientError) return error;
  }
  return statusError(res.status);
}

function statusError(status: number): OpsClientError {
  if (status === 401) return new OpsClientError("Unauthorized", "missing or wrong token");
  return new OpsClientError("Transport", `the molecule-ops host answered ${status} without a readable answer`);
}
