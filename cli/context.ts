import { envValue } from "../core/config/base-url";
import { readCpConfig } from "../core/config/cp-config";
import { defaultDbPath } from "../core/config/data-dir";
import { envSecrets } from "../core/config/secret-env";
import type { CpClient } from "../core/cp/cp-client";
import { type ConsoleReader, consoleReader } from "../core/ops/console-reader";
import { Store } from "../core/store/store";
import type { TenantClient } from "../core/tenant/tenant-client";
import { readTenantConfig } from "../core/tenant/tenant-config";
import { type ParsedCommandLine, stringFlag } from "./command-line";
import { secondsFlag } from "./seconds-flag";

/** What a command works with; opened lazily so usage errors never touch the disk or the network. */
export class CommandContext {
  private store?: Store;
  private cp?: CpClient;
  private tenant?: TenantClient;

  constructor(
    readonly parsed: ParsedCommandLine,
    readonly env: NodeJS.ProcessEnv,
  ) {}

  get json(): boolean {
    return this.parsed.flags.json === true;
  }

  openStore(): Store {
    if (!this.store) {
      this.store = Store.open(defaultDbPath(stringFlag(this.parsed, "db"), this.env));
      const r = this.store.recovered;
      if (r) {
        process.stderr.write(
          `molecule-ops: the cache ${this.store.path} was damaged (${r.reason}); it is kept as ${r.backup} and a fresh cache was started: run sync (and import-log) to refill it\n`,
        );
      }
    }
    return this.store;
  }

  /** Loaded on first use: the HTTP stack costs a start-up that offline commands need not pay. */
  async cpClient(): Promise<CpClient> {
    if (!this.cp) {
      const config = readCpConfig(this.env);
      const ledger = this.openStore();
      const { CpClient } = await import("../core/cp/cp-client");
      this.cp = new CpClient(config, { ledger, secrets: envSecrets(this.env), ...this.timeout() });
    }
    return this.cp;
  }

  /** The tenant platform's client (configuration read first: a missing variable is exit 1). */
  async tenantClient(): Promise<TenantClient> {
    if (!this.tenant) {
      const config = readTenantConfig(this.env);
      const { TenantClient } = await import("../core/tenant/tenant-client");
      this.tenant = new TenantClient(config, { secrets: envSecrets(this.env), ...this.timeout() });
    }
    return this.tenant;
  }

  /**
   * The serial console by workspace id: through the CP's admin route when a CP secret is set (the
   * CP says why a read failed), else through the tenant when its URL is set (it needs no more than
   * ADMIN_TOKEN, which staff hold anyway), else the CP route, whose configuration errors say what
   * is missing.
   */
  async consoleReader(): Promise<ConsoleReader> {
    const cpSecret = envValue(this.env, "CP_ADMIN_API_TOKEN", "MOLECULE_CP_SHARED_SECRET", "PROVISION_SHARED_SECRET");
    if (!cpSecret && envValue(this.env, "MOLECULE_TENANT_URL")) return consoleReader(null, await this.tenantClient());
    return consoleReader(await this.cpClient(), null);
  }

  async close(): Promise<void> {
    await this.cp?.close();
    await this.tenant?.close();
    this.store?.close();
  }

  /** `--timeout S` shortens the 120 s CP deadline (30 s tenant), e.g. for scripts that must not hang. */
  private timeout(): { timeoutMs?: number } {
    const ms = secondsFlag(this.parsed, "timeout", 3600);
    return ms === undefined ? {} : { timeoutMs: ms };
  }
}
