import { PROFILE_URL_RULES, parseBaseUrl } from "../config/base-url";
import { readCpConfig } from "../config/cp-config";
import type { CredentialStore, ProfileSecrets } from "../config/credentials";
import { belongTo, sameUrl, secretValues } from "../config/credentials";
import { ENV_PROFILE, profileEnv, profileFromEnv } from "../config/env-profile";
import type { Profile, ProfileStore } from "../config/profile-store";
import { CpClient } from "../cp/cp-client";
import { OpsError } from "../errors";
import { diagnose } from "../ops/doctor";
import { actOnFinding } from "../ops/doctor-actions";
import type { LiveChange } from "../ops/live-status";
import { reportBootstrapFailure } from "../ops/report-bootstrap-failure";
import type { RestartHandle } from "../ops/restart";
import { syncTenant } from "../ops/sync";
import { type ImportReport, importProvlog } from "../provlog/ingest";
import type { ByteSink } from "../provlog/timeline-export";
import { exportTimeline } from "../provlog/timeline-export";
import { TenantClient } from "../tenant/tenant-client";
import { readTenantConfig } from "../tenant/tenant-config";
import type { ExportInput, RequestInput, RequestName, SubscriptionInput, SubscriptionName } from "./schemas";
import { Session } from "./session";
import {
  consoleView,
  restartView,
  statusView,
  timelineFilterOf,
  timelineView,
  workspaceDetail,
  workspaceList,
} from "./view-builders";
import type { ProfileView, RequestResults, RestartProgress, SubscriptionItems } from "./views";

type Env = Readonly<Record<string, string | undefined>>;

export interface OpsServiceOptions {
  profiles: ProfileStore;
  credentials: CredentialStore;
  /** The process environment: it may define the read-only "environment" profile. */
  env: Env;
  host: "electron" | "browser";
  version: string;
}

type Handlers = { [N in RequestName]: (input: RequestInput<N>) => Promise<RequestResults[N]> };

/**
 * The API every host serves (DESIGN: one core, three hosts): the desktop app over IPC, the browser
 * host over HTTP. Inputs arrive validated (see dispatch.ts); results are plain views with no
 * secret in them; errors are OpsErrors with safe messages.
 */
export class OpsService {
  private session: Session | null = null;
  private opening: Promise<Session> | null = null;
  private readonly handlers: Handlers;

  constructor(private readonly o: OpsServiceOptions) {
    this.handlers = {
      "app.info": async () => ({
        host: o.host,
        version: o.version,
        profile: this.activeProfile()?.name ?? null,
        credentials: { kind: o.credentials.kind, detail: o.credentials.detail, canStore: o.credentials.canStore },
      }),
      "workspaces.list": async (input) => {
        const s = await this.current();
        return workspaceList(s, input);
      },
      "workspaces.get": async ({ id }) => workspaceDetail(await this.current(), id),
      "workspaces.status": async ({ id }) => {
        const s = await this.current();
        if (!s.cp) throw new OpsError("NoBackend", `the profile ${s.profile.name} has no control plane configured`);
        return statusView(await s.cp.isRunning(id));
      },
      "console.read": async ({ id, cached }) => consoleView(await this.current(), id, cached === true),
      "restart.start": async ({ id, via }) => {
        const s = await this.current();
        const running = s.restarts.get(id);
        const handle = s.restarts.restart({ workspaceId: id, via });
        return { workspace_id: id, via, joined: running === handle };
      },
      "restart.cancel": async ({ id }) => {
        const handle = (await this.current()).restarts.get(id);
        return { cancelled: handle ? handle.cancel() : false };
      },
      "restart.get": async ({ id }) => {
        const s = await this.current();
        return restartView(s.store.restarts.latestFor(id), s.restarts.get(id));
      },
      "bootstrap.report": async ({ id }) => {
        const s = await this.current();
        return reportBootstrapFailure(s.store, s.tenant, id, { readConsole: s.readConsole });
      },
      "sync.run": async () => {
        const s = await this.current();
        return syncTenant(s.store, s.tenant);
      },
      "sweep.run": async () => {
        const r = await (await this.current()).live.sweep();
        return r && { checked: r.checked, uncertain: r.uncertain, notRunning: r.notRunning, ms: Math.round(r.ms) };
      },
      "timeline.list": async ({ filter, limit }) => {
        const s = await this.current();
        const max = limit ?? 1000;
        const rows = [];
        for (const row of s.store.timeline(timelineFilterOf(filter))) {
          if (rows.length === max) return { rows, more: true };
          rows.push(timelineView(row));
        }
        return { rows, more: false };
      },
      "profiles.list": async () => this.profileViews(),
      "profiles.save": async ({ profile, secrets }) => this.saveProfile(profile, secrets),
      "profiles.remove": async ({ name }) => this.removeProfile(name),
      "profiles.use": async ({ name }) => {
        if (!this.allProfiles().some((p) => p.name === name))
          throw new OpsError("NotFound", `no profile named ${name}`);
        // The environment's profile is the default, so choosing it clears the saved choice.
        o.profiles.update((st) => {
          st.active = name === ENV_PROFILE ? null : name;
        });
        await this.switchTo(name);
        return this.viewOf(name);
      },
      "profiles.test": async ({ name }) => this.testProfile(name),
      "doctor.run": async () => {
        const s = await this.current();
        return diagnose({
          store: s.store,
          tenant: s.tenant,
          cp: s.cp,
          readConsole: s.readConsole,
          concurrency: o.profiles.read().settings.concurrency,
        });
      },
      "doctor.act": async ({ finding, via }) => {
        const s = await this.current();
        // The finding is looked up afresh: an action is never taken on a stale report.
        const report = await diagnose({ store: s.store, tenant: s.tenant, cp: s.cp, readConsole: s.readConsole });
        const f = report.findings.find((x) => x.id === finding);
        if (!f) throw new OpsError("NotFound", `finding ${finding} is no longer present: run the doctor again`);
        return actOnFinding(
          f,
          { store: s.store, tenant: s.tenant, cp: s.cp, restarts: s.restarts, readConsole: s.readConsole },
          via ?? "tenant",
        );
      },
      "settings.get": async () => o.profiles.read().settings,
      "settings.set": async (patch) => {
        const state = o.profiles.update((st) => {
          st.settings = { ...st.settings, ...patch };
        });
        return state.settings;
      },
    };
  }

  /** One request; `input` must already be validated against its schema. */
  invoke<N extends RequestName>(name: N, input: RequestInput<N>): Promise<RequestResults[N]> {
    return (this.handlers[name] as (i: RequestInput<N>) => Promise<RequestResults[N]>)(input);
  }

  /** A subscription's items until the signal aborts (or, for restart progress, the outcome). */
  async *subscribe<N extends SubscriptionName>(
    name: N,
    input: SubscriptionInput<N>,
    signal: AbortSignal,
  ): AsyncGenerator<SubscriptionItems[N]> {
    const s = await this.current();
    if (name === "live") {
      const changes: AsyncIterable<LiveChange> = s.live.subscribe(signal);
      yield s.live.connectionState as SubscriptionItems[N];
      for await (const c of changes) yield c as SubscriptionItems[N];
      return;
    }
    const { id } = input as SubscriptionInput<"restart.progress">;
    const handle = s.restarts.get(id);
    if (!handle) return;
    for await (const item of restartProgress(handle, signal)) yield item as SubscriptionItems[N];
  }

  /** CSV or JSONL of the timeline through the same code as the CLI; returns the rows written. */
  async exportTimeline(input: ExportInput, sink: ByteSink): Promise<number> {
    const s = await this.current();
    return exportTimeline(s.store.db, timelineFilterOf(input.filter), input.format, sink);
  }

  /** A provlog file or stream into the active profile's cache. */
  async importLog(source: string | NodeJS.ReadableStream): Promise<ImportReport> {
    return importProvlog((await this.current()).store, source);
  }

  /** Every configured secret (for redaction of anything this host shows, and for leak tests). */
  secrets(): string[] {
    return secretValues(this.session?.secrets);
  }

  async close(): Promise<void> {
    const s = this.session;
    this.session = null;
    await s?.close();
  }

  /** The active profile's session, opened on first use and started in the background. */
  private async current(): Promise<Session> {
    if (this.session) return this.session;
    this.opening ??= (async () => {
      const profile = this.activeProfile();
      if (!profile) {
        throw new OpsError(
          "Config",
          "no tenant profile yet: add one in Settings (or set MOLECULE_TENANT_URL and MOLECULE_ORG_ID)",
        );
      }
      const session = new Session(
        profile,
        await this.secretsOf(profile.name),
        this.o.profiles.read().settings,
        this.o.env,
      );
      void session.start();
      this.session = session;
      return session;
    })().finally(() => {
      this.opening = null;
    });
    return this.opening;
  }

  private async switchTo(name: string): Promise<void> {
    if (this.session?.profile.name === name) return;
    await this.close();
    await this.current();
  }

  private activeProfile(): Profile | null {
    const all = this.allProfiles();
    const active = this.o.profiles.read().active;
    return all.find((p) => p.name === active) ?? all[0] ?? null;
  }

  private allProfiles(): Profile[] {
    const fromEnv = profileFromEnv(this.o.env);
    const saved = this.o.profiles.read().profiles.filter((p) => p.name !== ENV_PROFILE);
    return fromEnv ? [fromEnv.profile, ...saved] : saved;
  }

  /**
   * A saved profile's stored secrets, only for the URLs they were entered for and only when those
   * pass the profile rule (SPEC §5): profiles.json may have been edited since the profile was saved.
   */
  private async secretsOf(name: string): Promise<ProfileSecrets | null> {
    if (name === ENV_PROFILE) return profileFromEnv(this.o.env)?.secrets ?? null;
    const profile = this.o.profiles.read().profiles.find((p) => p.name === name);
    if (!profile) return null;
    checkedUrls(profile);
    const secrets = await this.o.credentials.get(name);
    return secrets && belongTo(secrets, profile) ? secrets : null;
  }

  private async profileViews(): Promise<ProfileView[]> {
    return Promise.all(this.allProfiles().map((p) => this.viewOf(p.name)));
  }

  private async viewOf(name: string): Promise<ProfileView> {
    const p = this.allProfiles().find((q) => q.name === name);
    if (!p) throw new OpsError("NotFound", `no profile named ${name}`);
    const secrets = await this.secretsOf(name).catch(() => null);
    return {
      ...p,
      hasSecrets: secretValues(secrets).length > 0,
      active: this.activeProfile()?.name === name,
      readOnly: name === ENV_PROFILE,
    };
  }

  /**
   * Saves a profile: its URLs as the URL parser writes them, its name unique regardless of case
   * (two such names once shared a cache). Stored secrets belong to the URLs they were entered for
   * (SPEC §5): pointing the tenant or CP URL elsewhere drops them unless new ones come with the
   * same save, so `profiles.test` and the session never send the old bearer to the new place.
   */
  private async saveProfile(input: Profile, secrets: ProfileSecrets | undefined): Promise<ProfileView> {
    if (sameName(input.name, ENV_PROFILE)) {
      throw new OpsError("Input", `"${ENV_PROFILE}" is defined by the environment and cannot be edited`);
    }
    const profile: Profile = { ...input, ...checkedUrls(input) };
    const saved = this.o.profiles.read().profiles;
    const before = saved.find((p) => p.name === profile.name);
    const clash = saved.find((p) => p.name !== profile.name && sameName(p.name, profile.name));
    if (!before && clash) {
      throw new OpsError(
        "Conflict",
        `a profile named "${clash.name}" exists (names are compared without case): edit it, or choose another name`,
      );
    }
    const moved =
      before !== undefined && !(sameUrl(before.tenantUrl, profile.tenantUrl) && sameUrl(before.cpUrl, profile.cpUrl));
    // Secrets first: a profile is never saved pointing at secrets that could not be stored, nor
    // at a URL that its stored secrets were not entered for.
    if (secrets) {
      if (!this.o.credentials.canStore) {
        throw new OpsError("Config", `cannot store secrets: ${this.o.credentials.detail}`);
      }
      const { adminToken, provisionSecret, adminApiToken } = secrets;
      await this.o.credentials.set(profile.name, {
        adminToken,
        provisionSecret,
        adminApiToken,
        origins: { tenantUrl: profile.tenantUrl, cpUrl: profile.cpUrl },
      });
    } else if (moved || !before) {
      // A new profile starts without any left over under its name (a profile removed by hand).
      await this.o.credentials.remove(profile.name);
    }
    this.o.profiles.update((st) => {
      st.profiles = [...st.profiles.filter((p) => p.name !== profile.name), profile];
    });
    if (this.session?.profile.name === profile.name) await this.close();
    return this.viewOf(profile.name);
  }

  private async removeProfile(name: string): Promise<{ removed: boolean }> {
    if (name === ENV_PROFILE) throw new OpsError("Input", `"${ENV_PROFILE}" is defined by the environment`);
    const before = this.o.profiles.read().profiles.length;
    const state = this.o.profiles.update((st) => {
      st.profiles = st.profiles.filter((p) => p.name !== name);
      if (st.active === name) st.active = null;
    });
    await this.o.credentials.remove(name);
    if (this.session?.profile.name === name) await this.close();
    return { removed: state.profiles.length < before };
  }

  /**
   * Lists the tenant's workspaces and, with a CP, reads one console through it (by workspace id:
   * the tenant gives no instance ids to ask a status about): nothing is written.
   */
  private async testProfile(name: string): Promise<RequestResults["profiles.test"]> {
    const p = this.allProfiles().find((q) => q.name === name);
    if (!p) throw new OpsError("NotFound", `no profile named ${name}`);
    const stored = await this.secretsOf(name);
    const vars = profileEnv(p, stored);
    const secrets = secretValues(stored);
    const tenant = new TenantClient(readTenantConfig(vars), { timeoutMs: 15_000, secrets });
    try {
      const list = await tenant.listWorkspaces();
      let cp: "ok" | "none" | "failed" = "none";
      if (p.cpUrl) {
        const client = new CpClient(readCpConfig(vars), {
          ledger: {
            resolveInstanceId: () => null,
            recordStarted: () => {},
            recordStopped: () => {},
            recordStopFailed: () => {},
          },
          timeoutMs: 15_000,
          secrets,
        });
        try {
          const first = list.workspaces[0];
          if (first) await client.console(first.id);
          cp = "ok";
        } catch (error) {
          // The CP answered past its auth: reachable and the secrets accepted, the workspace aside.
          cp = error instanceof OpsError && error.status === 404 ? "ok" : "failed";
        } finally {
          await client.close();
        }
      }
      return { ok: cp !== "failed", workspaces: list.workspaces.length, error: null, cp };
    } catch (error) {
      const e = error instanceof OpsError ? error : new OpsError("Transport", "internal error");
      return { ok: false, workspaces: null, error: { code: e.code, message: e.message }, cp: "none" };
    } finally {
      await tenant.close();
    }
  }
}

/** Profile names are one name regardless of case ("Victim" and "victim"). */
function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** A saved profile's URLs under the profile rule (https off loopback), as the parser writes them. */
function checkedUrls(p: Profile): Pick<Profile, "tenantUrl" | "cpUrl"> {
  return {
    tenantUrl: parseBaseUrl(p.tenantUrl, `the tenant URL of ${p.name}`, PROFILE_URL_RULES),
    cpUrl: p.cpUrl === null ? null : parseBaseUrl(p.cpUrl, `the control plane URL of ${p.name}`, PROFILE_URL_RULES),
  };
}

/** A restart's steps from now on, then its outcome. */
async function* restartProgress(handle: RestartHandle, signal: AbortSignal): AsyncGenerator<RestartProgress> {
  const queue: RestartProgress[] = handle.steps.map((step) => ({ kind: "step", step }));
  let wake: (() => void) | null = null;
  const off = handle.onStep((step) => {
    queue.push({ kind: "step", step });
    wake?.();
  });
  let finished = false;
  void handle.done.then((outcome) => {
    queue.push({ kind: "outcome", outcome });
    finished = true;
    wake?.();
  });
  const aborted = () => wake?.();
  signal.addEventListener("abort", aborted, { once: true });
  try {
    for (;;) {
      while (queue.length > 0) {
        const item = queue.shift() as RestartProgress;
        yield item;
        if (item.kind === "outcome") return;
      }
      if (finished || signal.aborted) return;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = null;
    }
  } finally {
    off();
    signal.removeEventListener("abort", aborted);
  }
}
