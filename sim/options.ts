import { randomBytes } from "node:crypto";
import { assertLoopbackHost } from "./loopback";

export interface SimSecrets {
  /** Bearer for /cp/workspaces/* (MOLECULE_CP_SHARED_SECRET). */
  provisionSecret: string;
  /**
   * X-Molecule-Admin-Token on CP routes, and the tenant's ADMIN_TOKEN (AdminAuth and
   * WorkspaceAuth accept it). Empty: a tenant without one, i.e. the platform's dev mode
   * (middleware/devmode.go): its bearer gates and rate limiter fail open.
   */
  adminToken: string;
  /** Bearer for /cp/admin/* (CP_ADMIN_API_TOKEN). */
  adminApiToken: string;
}

export interface SimTiming {
  pendingMs: number;
  stoppingMs: number;
  provisioningMs: number;
  /** How often a flapping workspace toggles between online and degraded. */
  flapMs: number;
  /**
   * RecordAndBroadcast stamps the /ws message after its INSERT returned (events/broadcaster.go),
   * so `timestamp` trails the stored `created_at`; this is by how much (default 2 ms).
   */
  broadcastLagMs: number;
  /** Each running agent heartbeats this often (registry.go: ~30 s); 0 = no heartbeats. */
  heartbeatMs: number;
  /** One chat message (AGENT_MESSAGE, A2A_RESPONSE, ACTIVITY_LOGGED) this often; 0 = none. */
  chatMs: number;
  /** The first back-off of the tenant's Stop retries (workspace_restart.go cpStopRetryBaseDelay: 1 s). */
  stopRetryMs: number;
}

export interface SimOptions {
  /** 0 (default) = a random free port. */
  port?: number;
  /** Default "127.0.0.1"; anything that is not a loopback address is refused. */
  host?: string;
  /** Tenant workspaces to seed, default 12. */
  workspaces?: number;
  /** Seed of the deterministic PRNG (names, runtimes, tiers, statuses, crash boots), default 1. */
  seed?: number;
  orgId?: string;
  /** Default: random per run. An explicitly empty string turns that gate off (self-hosted CP). */
  secrets?: Partial<SimSecrets>;
  timing?: Partial<SimTiming>;
  /** Fraction of boots whose console ends in RUNTIME CRASHED, default 0.15. */
  crashRatio?: number;
  /** false = a tenant without a control plane: CP routes are absent and the tenant console answers 501. */
  cp?: boolean;
  /** How many seeded online workspaces flap between online and degraded (every timing.flapMs), default 0. */
  flapping?: number;
  /**
   * A steady rate instead: the flapping workspaces flip in turn, this many status changes a second
   * in all (SimState.churn), rather than each every timing.flapMs. Default: unset.
   */
  flapRate?: number;
  /** Where the sim's clock starts (ms since the epoch); it then advances with monotonic time. Default: now. */
  startAt?: number;
  /** The SaaS edge in front of the tenant: /workspaces and /workspaces/* without an Origin get the web UI's empty 404. */
  saasEdge?: boolean;
  /**
   * The tenant's CORS_ORIGINS. Unset: the router's defaults (http://localhost:3000 and :3001)
   * and a /ws upgrader that accepts any Origin (handlers/socket.go checks only a configured list).
   */
  corsOrigins?: string[];
  /** Requests a minute per client IP (router.go RATE_LIMIT); 0 (default) = no limiter at all. */
  rateLimit?: number;
  /** Where to write the tenant server's own log (Go logger lines, provlog records, gin access lines). */
  logFile?: string;
  /**
   * The platform's offline handler (cmd/server/main.go): a workspace whose agent died goes
   * offline and the tenant restarts it (RestartByID: restart.pre_stop, Stop, Start). Default false.
   */
  autoRestart?: boolean;
  /**
   * The combined tenant image (CANVAS_PROXY_URL set): a same-origin request (Origin or Referer
   * naming the Host) passes the org guard and WorkspaceAuth without credentials
   * (middleware/tenant_guard.go, wsauth_middleware.go isSameOriginCanvas). Default false.
   */
  canvasProxy?: boolean;
}

export interface ResolvedSimOptions {
  port: number;
  host: string;
  workspaces: number;
  seed: number;
  orgId: string;
  secrets: SimSecrets;
  timing: SimTiming;
  crashRatio: number;
  cp: boolean;
  flapping: number;
  /** Status changes a second over the flapping workspaces, or null: each flaps every timing.flapMs. */
  flapRate: number | null;
  startAt: number;
  saasEdge: boolean;
  corsOrigins: string[] | null;
  rateLimit: number;
  logFile: string | null;
  autoRestart: boolean;
  canvasProxy: boolean;
}

export function resolveSimOptions(options: SimOptions = {}): ResolvedSimOptions {
  const host = options.host ?? "127.0.0.1";
  assertLoopbackHost(host);
  const workspaces = options.workspaces ?? 12;
  if (!Number.isInteger(workspaces) || workspaces < 0)
    throw new Error("sim: workspaces must be a non-negative integer");
  const crashRatio = options.crashRatio ?? 0.15;
  if (!(crashRatio >= 0 && crashRatio <= 1)) throw new Error("sim: crashRatio must be between 0 and 1");
  const flapping = options.flapping ?? 0;
  if (!Number.isInteger(flapping) || flapping < 0) throw new Error("sim: flapping must be a non-negative integer");
  const flapRate = options.flapRate ?? null;
  if (flapRate !== null && !(Number.isFinite(flapRate) && flapRate > 0))
    throw new Error("sim: flapRate must be a positive number of status changes a second");
  const rateLimit = options.rateLimit ?? 0;
  if (!Number.isInteger(rateLimit) || rateLimit < 0) throw new Error("sim: rateLimit must be a non-negative integer");
  const startAt = options.startAt ?? Date.now();
  if (!Number.isFinite(startAt)) throw new Error("sim: startAt must be a finite number of ms since the epoch");
  // Distinct random secrets per gate by default, so a client that sends the provision secret
  // to /cp/admin/* fails here as it did in production once the secrets were split.
  const secret = () => randomBytes(24).toString("hex");
  return {
    port: options.port ?? 0,
    host,
    workspaces,
    seed: options.seed ?? 1,
    orgId: options.orgId ?? "org-sim",
    secrets: {
      provisionSecret: options.secrets?.provisionSecret ?? secret(),
      adminToken: options.secrets?.adminToken ?? secret(),
      adminApiToken: options.secrets?.adminApiToken ?? secret(),
    },
    timing: resolveTiming(options.timing ?? {}),
    crashRatio,
    cp: options.cp ?? true,
    flapping,
    flapRate,
    startAt: Math.floor(startAt),
    saasEdge: options.saasEdge ?? false,
    corsOrigins: options.corsOrigins ? [...options.corsOrigins] : null,
    rateLimit,
    logFile: options.logFile ?? null,
    autoRestart: options.autoRestart ?? false,
    canvasProxy: options.canvasProxy ?? false,
  };
}

const TIMING_DEFAULTS: SimTiming = {
  pendingMs: 1500,
  stoppingMs: 1000,
  provisioningMs: 3000,
  flapMs: 4000,
  broadcastLagMs: 2,
  heartbeatMs: 30_000,
  chatMs: 6000,
  stopRetryMs: 1000,
};

function resolveTiming(given: Partial<SimTiming>): SimTiming {
  const timing = { ...TIMING_DEFAULTS };
  for (const key of Object.keys(TIMING_DEFAULTS) as Array<keyof SimTiming>) {
    const value = given[key];
    if (value === undefined) continue;
    if (!(Number.isFinite(value) && value >= 0))
      throw new Error(`sim: timing.${key} must be a non-negative number of ms`);
    timing[key] = value;
  }
  if (!(timing.flapMs > 0)) throw new Error("sim: timing.flapMs must be a positive number of ms");
  return timing;
}
