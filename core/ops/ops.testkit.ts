/**
 * A tenant world for the operations engine's tests: a real emulator on loopback, a real SQLite
 * cache in a temp folder, and the real CP and tenant clients pointed at the emulator.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";
import { type Sim, type SimOptions, startSim } from "../../sim";
import { readCpConfig } from "../config/cp-config";
import { CpClient, type CpClientOptions } from "../cp/cp-client";
import { importProvlog } from "../provlog/ingest";
import { Store } from "../store/store";
import { TenantClient, type TenantClientOptions } from "../tenant/tenant-client";
import { readTenantConfig } from "../tenant/tenant-config";

export interface OpsWorld {
  sim: Sim;
  store: Store;
  tenant: TenantClient;
  cp: CpClient;
  dbPath: string;
  /** The emulated tenant's own server log (provlog lines among prose). */
  logPath: string;
  /**
   * Imports the tenant's server log into the cache, as an operator does to learn which instance
   * each workspace runs on (the tenant API never says, docs/contracts.md §3).
   */
  learnInstances(): Promise<void>;
}

/** Fast state changes; no heartbeats or chat unless a test asks (they interleave with what it waits for). */
export const TEST_TIMING = {
  pendingMs: 30,
  stoppingMs: 30,
  provisioningMs: 150,
  heartbeatMs: 0,
  chatMs: 0,
  broadcastLagMs: 2,
  stopRetryMs: 10,
};

export interface OpsWorldOptions extends SimOptions {
  cpClient?: Partial<CpClientOptions>;
  tenantClient?: TenantClientOptions;
}

export function opsWorldsPerTest(): (options?: OpsWorldOptions) => Promise<OpsWorld> {
  let cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.reverse()) await c();
    cleanups = [];
  });
  return async (options = {}) => {
    const { cpClient: cpOptions, tenantClient: tenantOptions, ...simOptions } = options;
    const dir = mkdtempSync(join(tmpdir(), "ops-"));
    const logPath = join(dir, "server.log");
    const sim = await startSim({ logFile: logPath, ...simOptions, timing: { ...TEST_TIMING, ...simOptions.timing } });
    const dbPath = join(dir, "cache.db");
    const store = Store.open(dbPath);
    const tenant = new TenantClient(readTenantConfig(sim.env), { timeoutMs: 5000, ...tenantOptions });
    const cp = new CpClient(readCpConfig(sim.env), { ledger: store, timeoutMs: 5000, ...cpOptions });
    cleanups.push(
      () => sim.close(),
      () => store.close(),
      () => tenant.close(),
      () => cp.close(),
      () => rmSync(dir, { recursive: true, force: true }),
    );
    const learnInstances = async () => {
      // The sim writes its log once per event-loop turn.
      await new Promise((resolve) => setImmediate(resolve));
      await importProvlog(store, logPath);
    };
    return { sim, store, tenant, cp, dbPath, logPath, learnInstances };
  };
}

/** Waits until `check` returns a value other than undefined/false, or fails after `ms`. */
export async function eventually<T>(check: () => T | undefined | false, ms = 5000, what = "condition"): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
