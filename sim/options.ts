import { randomBytes } from "node:crypto";
import { assertLoopbackHost } from "./loopback";

export interface SimSecrets {
  /** Bearer for /cp/workspaces/* (MOLECULE_CP_SHARED_SECRET). */
  provisionSecret: string;
  /** X-Molecule-Admin-Token on CP routes, and the tenant bearer (ADMIN_TOKEN). */
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
  const flapMs = options.timing?.flapMs ?? 4000;
  if (!(flapMs > 0)) throw new Error("sim: timing.flapMs must be a positive number of ms");
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
    timing: {
      pendingMs: options.timing?.pendingMs ?? 1500,
      stoppingMs: options.timing?.stoppingMs ?? 1000,
      provisioningMs: options.timing?.provisioningMs ?? 3000,
      flapMs,
    },
    crashRatio,
    cp: options.cp ?? true,
    flapping,
  };
}
