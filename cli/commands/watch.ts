import { type LiveChange, LiveStatus, type StatusChange } from "../../core/ops/live-status";
import { DEFAULT_SWEEP_CONCURRENCY } from "../../core/ops/status-sweep";
import { readTenantConfig } from "../../core/tenant/tenant-config";
import { intFlag } from "../command-line";
import type { CommandContext } from "../context";
import { EXIT_OK } from "../exit-codes";
import { printJson, printLine, terminalSafe } from "../output";
import { secondsFlag } from "../seconds-flag";
import type { Command } from "./command";

export const watchCommand: Command = {
  name: "watch",
  usage: "watch [--interval S] [--concurrency N] [--json]",
  summary: "Stream live status changes (tenant /ws, relists, CP sweeps) until interrupted",
  flags: { interval: { type: "string" }, concurrency: { type: "string" } },
  async run(ctx: CommandContext) {
    const sweepMs = secondsFlag(ctx.parsed, "interval", 86_400) ?? 30_000;
    const concurrency = intFlag(ctx.parsed, "concurrency", 1, 256) ?? DEFAULT_SWEEP_CONCURRENCY;
    const tenant = await ctx.tenantClient();
    const cp = await ctx.cpClient();
    const live = new LiveStatus({
      store: ctx.openStore(),
      tenant,
      cp,
      feed: { baseUrl: readTenantConfig(ctx.env).baseUrl, headers: tenant.headers() },
      sweepMs,
      concurrency,
    });
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    const changes = live.subscribe(stop.signal);
    // The engine's timers are unref'd (a host closes without waiting on them): with the tenant
    // down and the feed between retries, nothing else would keep `watch` running until Ctrl-C.
    const keepAlive = setInterval(() => {}, 60_000);
    try {
      await live.start();
      let lastConnection = "";
      for await (const change of changes) {
        if (change.kind === "connection" && !ctx.json) {
          // A person needs to hear when the tenant or the feed comes and goes, not every relist.
          const key = `${change.tenant}/${change.feed}/${change.error}`;
          if (key === lastConnection) continue;
          lastConnection = key;
        }
        print(change, ctx.json);
      }
    } finally {
      clearInterval(keepAlive);
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      await live.stop();
    }
    return EXIT_OK;
  },
};

function print(change: LiveChange, json: boolean): void {
  if (json) {
    printJson(change);
  } else if (change.kind === "connection") {
    const tenant = change.tenant === "ok" ? "tenant ok" : `tenant unreachable (${change.error ?? "no answer"})`;
    process.stderr.write(`${new Date().toISOString()}  ${tenant}; feed ${change.feed}\n`);
  } else {
    printStatus(change);
  }
}

function printStatus(change: StatusChange): void {
  const who = terminalSafe(change.name ?? change.workspace_id);
  const from = change.previous === null ? "" : `${change.previous} → `;
  const since = change.since ? ` since ${change.since}` : "";
  const detail = change.detail ? `: ${terminalSafe(change.detail)}` : "";
  printLine(`${change.as_of}  ${who}  ${from}${change.status}${since}  (${change.source}${detail})`);
}
