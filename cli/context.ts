import { readCpConfig } from "../core/config/cp-config";
import { defaultDbPath } from "../core/config/data-dir";
import type { CpClient } from "../core/cp/cp-client";
import { OpsError } from "../core/errors";
import { Store } from "../core/store/store";
import { type ParsedCommandLine, stringFlag } from "./command-line";

/** What a command works with; opened lazily so usage errors never touch the disk or the network. */
export class CommandContext {
  private store?: Store;
  private cp?: CpClient;

  constructor(
    readonly parsed: ParsedCommandLine,
    readonly env: NodeJS.ProcessEnv,
  ) {}

  get json(): boolean {
    return this.parsed.flags.json === true;
  }

  openStore(): Store {
    this.store ??= Store.open(defaultDbPath(stringFlag(this.parsed, "db"), this.env));
    return this.store;
  }

  /** Loaded on first use: the HTTP stack costs a start-up that offline commands need not pay. */
  async cpClient(): Promise<CpClient> {
    if (!this.cp) {
      const config = readCpConfig(this.env);
      const ledger = this.openStore();
      const { CpClient } = await import("../core/cp/cp-client");
      this.cp = new CpClient(config, { ledger, ...this.timeout() });
    }
    return this.cp;
  }

  async close(): Promise<void> {
    await this.cp?.close();
    this.store?.close();
  }

  /** `--timeout S` shortens the 120 s CP deadline, e.g. for scripts that must not hang. */
  private timeout(): { timeoutMs?: number } {
    const raw = stringFlag(this.parsed, "timeout");
    if (raw === undefined) return {};
    const seconds = Number(raw);
    if (!/^\d+(\.\d+)?$/.test(raw) || seconds <= 0 || seconds > 3600) {
      throw new OpsError("Usage", `--timeout takes seconds, more than 0 and at most 3600, got "${raw}"`);
    }
    return { timeoutMs: Math.round(seconds * 1000) };
  }
}
