import { isIP } from "node:net";

/**
 * The sim hands out its secrets in `env` and answers with them configured; it must never be
 * reachable from another machine. Only literal loopback addresses are accepted: a name such
 * as "localhost" depends on the resolver and could point anywhere.
 */
export function isLoopbackHost(host: string): boolean {
  const version = isIP(host);
  if (version === 4) return host.startsWith("127.");
  if (version === 6) {
    const lower = host.toLowerCase();
    if (lower === "::1" || lower === "0:0:0:0:0:0:0:1") return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
    return mapped?.[1]?.startsWith("127.") ?? false;
  }
  return false;
}

export function assertLoopbackHost(host: string): void {
  if (!isLoopbackHost(host)) {
    throw new Error(`sim: refusing to listen on "${host}": only loopback addresses (127.0.0.0/8, ::1) are allowed`);
  }
}

export function hostForUrl(host: string): string {
  return isIP(host) === 6 ? `[${host}]` : host;
}
