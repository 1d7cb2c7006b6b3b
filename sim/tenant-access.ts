import type { IncomingMessage } from "node:http";
import { RateLimiter } from "./rate-limiter";
import { clientIp } from "./request-headers";
import type { SimWorld } from "./state";

interface Tracked {
  startedNs: bigint;
  path: string;
}

/**
 * What the tenant server keeps across requests: its rate limiter (per client IP, shared by REST
 * and /ws) and gin's access log, one line per request once the handler has returned (a
 * black-holed or reset request never gets one, as a handler that never returns never does).
 */
export class TenantAccess {
  readonly limiter: RateLimiter | null;
  private readonly tracked = new WeakMap<IncomingMessage, Tracked>();

  constructor(private readonly world: SimWorld) {
    const { rateLimit, secrets } = world.options;
    // No ADMIN_TOKEN is the platform's dev mode, where the limiter lets everything through.
    this.limiter =
      rateLimit > 0 ? new RateLimiter(rateLimit, () => world.clock.now(), secrets.adminToken === "") : null;
  }

  track(req: IncomingMessage, startedNs: bigint, url: URL): void {
    this.tracked.set(req, { startedNs, path: url.pathname + url.search });
  }

  /** A request answered in front of the server (the SaaS edge): gin never logs it. */
  forget(req: IncomingMessage): void {
    this.tracked.delete(req);
  }

  logged(req: IncomingMessage, status: number): void {
    const tracked = this.tracked.get(req);
    if (!tracked) return;
    this.tracked.delete(req);
    this.world.log.access({
      at: this.world.clock.now(),
      status,
      latencyNs: process.hrtime.bigint() - tracked.startedNs,
      clientIp: clientIp(req),
      method: req.method ?? "",
      path: tracked.path,
    });
  }
}
