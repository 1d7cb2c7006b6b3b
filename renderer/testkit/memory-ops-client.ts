import { type ImportReportView, OpsClientError } from "../../core/api/ops-client";
import type { ExportInput, RequestInput, RequestName, SubscriptionName } from "../../core/api/schemas";
import { requestInputs } from "../../core/api/schemas";
import type {
  AppInfo,
  ConsoleView,
  ProfileView,
  RequestResults,
  Settings,
  SubscriptionItems,
  TimelineView,
  WorkspaceDetail,
  WorkspaceView,
} from "../../core/api/views";
import { HostLink } from "../transport/host-link";
import type { UiOpsClient } from "../ui-ops-client";

/** What the in-memory host serves: fixed views that tests may change between calls. */
export interface MemoryWorld {
  appInfo: AppInfo;
  settings: Settings;
  profiles: ProfileView[];
  workspaces: WorkspaceView[];
  lastSyncAt: string | null;
  /** The live serial console of each workspace, by id. */
  consoles: Record<string, ConsoleView>;
  /** The cached copy of each workspace's console, by id. */
  cachedConsoles: Record<string, ConsoleView>;
  /** Every event, oldest first. */
  events: TimelineView[];
}

type Handlers = { [N in RequestName]?: (input: RequestInput<N>) => RequestResults[N] };

interface Held {
  release: () => void;
}

/**
 * A real OpsClient over an in-memory host: it checks every input with the API's own schemas, as
 * the hosts do, answers from `world` asynchronously, and keeps what it was asked in `calls`.
 * A test can make a request fail (`fail`) or wait until it says so (`hold`), and push
 * subscription items (`emit`); the host link is the one the stale banner reads.
 */
export class MemoryOpsClient implements UiOpsClient {
  readonly kind = "http";
  readonly link = new HostLink();
  readonly world: MemoryWorld;
  readonly calls: Array<{ name: RequestName; input: unknown }> = [];
  private readonly failures = new Map<RequestName, { error: OpsClientError; when: (input: never) => boolean }>();
  private readonly held = new Map<RequestName, Promise<void>>();
  private readonly subscribers = new Map<SubscriptionName, Set<(item: never) => void>>();

  constructor(world: Partial<MemoryWorld> = {}) {
    this.world = { ...emptyWorld(), ...world };
  }

  /** Requests by that name (those `when` picks) reject with this error until `recover`. */
  fail<N extends RequestName>(
    name: N,
    code: string,
    message: string,
    when: (input: RequestInput<N>) => boolean = () => true,
  ): void {
    this.failures.set(name, { error: new OpsClientError(code, message), when });
  }

  recover(name: RequestName): void {
    this.failures.delete(name);
  }

  /** Requests by that name wait until the returned `release` is called. */
  hold(name: RequestName): Held {
    let release = () => {};
    this.held.set(
      name,
      new Promise<void>((resolve) => {
        release = () => {
          this.held.delete(name);
          resolve();
        };
      }),
    );
    return { release };
  }

  callsOf<N extends RequestName>(name: N): RequestInput<N>[] {
    return this.calls.filter((c) => c.name === name).map((c) => c.input as RequestInput<N>);
  }

  async invoke<N extends RequestName>(name: N, input: RequestInput<N>): Promise<RequestResults[N]> {
    this.calls.push({ name, input });
    const checked = requestInputs[name].safeParse(input);
    await this.held.get(name);
    await Promise.resolve();
    if (!checked.success) throw new OpsClientError("Input", checked.error.issues[0]?.message ?? "bad input");
    const failure = this.failures.get(name);
    if (failure?.when(checked.data as never)) throw failure.error;
    const handler = this.handlers[name] as ((input: RequestInput<N>) => RequestResults[N]) | undefined;
    if (!handler) throw new OpsClientError("Internal", `${name} is not served by the in-memory host`);
    return structuredClone(handler(checked.data as RequestInput<N>));
  }

  subscribe<N extends SubscriptionName>(
    name: N,
    _input: unknown,
    onItem: (item: SubscriptionItems[N]) => void,
  ): () => void {
    const set = this.subscribers.get(name) ?? new Set();
    this.subscribers.set(name, set);
    const listener = onItem as (item: never) => void;
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Pushes an item to every subscriber of `name`. */
  emit<N extends SubscriptionName>(name: N, item: SubscriptionItems[N]): void {
    for (const listener of this.subscribers.get(name) ?? []) (listener as (item: SubscriptionItems[N]) => void)(item);
  }

  async exportTimeline(input: ExportInput): Promise<{ rows: number; saved: boolean }> {
    return { rows: (await this.invoke("timeline.list", { filter: input.filter })).rows.length, saved: true };
  }

  async importLog(_file: Blob & { name: string }): Promise<ImportReportView> {
    return {
      lines: 0,
      events: 0,
      skipped: 0,
      malformed: 0,
      workspaces: 0,
      added: 0,
      duplicates: 0,
      bindings: 0,
      first_malformed: [],
    };
  }

  private readonly handlers: Handlers = {
    "app.info": () => this.world.appInfo,
    "settings.get": () => this.world.settings,
    "settings.set": (patch) => {
      this.world.settings = { ...this.world.settings, ...patch };
      return this.world.settings;
    },
    "workspaces.list": () => ({
      rows: this.world.workspaces,
      lastSyncAt: this.world.lastSyncAt,
      lastSyncError: null,
      connection: null,
    }),
    "workspaces.get": ({ id }) => detailOf(this.workspace(id)),
    "console.read": ({ id, cached }) => {
      const view = (cached ? this.world.cachedConsoles : this.world.consoles)[id];
      if (!view) throw new OpsClientError("NotFound", `no ${cached ? "cached " : ""}console for ${id}`);
      return view;
    },
    "restart.start": ({ id, via }) => {
      this.workspace(id);
      return { workspace_id: id, via, joined: false };
    },
    "restart.cancel": () => ({ cancelled: true }),
    "restart.get": () => null,
    "timeline.list": ({ filter, limit = 1000 }) => {
      const since = filter.since === undefined ? -Infinity : new Date(filter.since).getTime();
      const until = filter.until === undefined ? Infinity : new Date(filter.until).getTime();
      const rows = this.world.events.filter((e) => {
        if (filter.workspaceId !== undefined && e.workspaceId !== filter.workspaceId) return false;
        if (filter.events && !filter.events.includes(e.event)) return false;
        if (filter.since === undefined && filter.until === undefined) return true;
        const t = e.ts === null ? Number.NaN : Date.parse(e.ts);
        return t >= since && t <= until;
      });
      return { rows: rows.slice(0, limit), more: rows.length > limit };
    },
    "profiles.list": () => this.world.profiles,
    "profiles.save": ({ profile, secrets }) => {
      const before = this.world.profiles.find((p) => p.name.toLowerCase() === profile.name.toLowerCase());
      const saved: ProfileView = {
        ...profile,
        hasSecrets: secrets !== undefined || (before?.hasSecrets ?? false),
        active: before?.active ?? this.world.profiles.length === 0,
        readOnly: false,
      };
      this.world.profiles = before
        ? this.world.profiles.map((p) => (p === before ? saved : p))
        : [...this.world.profiles, saved];
      return saved;
    },
    "profiles.remove": ({ name }) => {
      const before = this.world.profiles.length;
      this.world.profiles = this.world.profiles.filter((p) => p.name !== name);
      return { removed: this.world.profiles.length < before };
    },
    "profiles.use": ({ name }) => {
      const profile = this.world.profiles.find((p) => p.name === name);
      if (!profile) throw new OpsClientError("NotFound", `no profile ${name}`);
      this.world.profiles = this.world.profiles.map((p) => ({ ...p, active: p.name === name }));
      return { ...profile, active: true };
    },
    "profiles.test": () => ({ ok: true, workspaces: this.world.workspaces.length, error: null, cp: "none" }),
  };

  private workspace(id: string): WorkspaceView {
    const row = this.world.workspaces.find((w) => w.id === id);
    if (!row) throw new OpsClientError("NotFound", `no workspace ${id} in the cache`);
    return row;
  }
}

function detailOf(workspace: WorkspaceView): WorkspaceDetail {
  return { workspace, fields: {}, bindings: [], lastRestart: null, crash: null, lastError: null };
}

function emptyWorld(): MemoryWorld {
  return {
    appInfo: {
      host: "browser",
      version: "0.0.0-test",
      profile: null,
      credentials: { kind: "file", detail: "a 0600 credentials file", canStore: true },
    },
    settings: { theme: "system", sweepSeconds: 60, concurrency: 8 },
    profiles: [],
    workspaces: [],
    lastSyncAt: null,
    consoles: {},
    cachedConsoles: {},
    events: [],
  };
}
