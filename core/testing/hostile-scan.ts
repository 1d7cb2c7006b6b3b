/**
 * What the CLI's and the browser host's secret scans share: the hostile upstreams they run
 * against, on the end-to-end tests' fixed clock, and the pieces of the scan.
 */
import { clockEnv, testNow } from "../../e2e/test-clock";
import { type HostileSecrets, type HostileUpstream, startHostileUpstream } from "./hostile-upstream";

export {
  HOSTILE_ROUTES,
  HOSTILE_WS,
  type HostileErrorStatus,
  type HostileMode,
  type HostileRoute,
} from "./hostile-upstream";
export { describeHits, type SecretHit, SecretProbe } from "./secret-probe";
export { filesUnder } from "./temp-dir";
export type { HostileUpstream };

/**
 * Odd characters inside (every encoding differs from the secret as is), plain heads and tails,
 * and no words: the probe reports any 8 characters of a secret, and the hostile labels are words.
 */
export const SCAN_SECRETS = {
  adminToken: 'Tq4mWz8K<adm&n>"tok\\en/+=~Ax7Pc2Nv',
  provisionSecret: "Gh5rLs9D-pV7q&sK3w=%41/9Yk3Qe",
  adminApiToken: "Mn2vBx6J+cQ aZm<tKn>_4Rt8Wu1Zo",
} satisfies HostileSecrets;

/** The fixed clock of the upstreams and of the child processes (their env): hostile events are dated by it. */
export const scanClock = { now: testNow, env: clockEnv };

/**
 * The tenant and CP that plant every secret, and a tenant alone for the runs that read the
 * console through it (no CP secret configured, so the console cannot know those): it plants only
 * the secret such a profile holds, the admin token.
 */
export async function startHostilePair(
  secrets: HostileSecrets,
): Promise<{ hostile: HostileUpstream; tenantOnly: HostileUpstream }> {
  const common = { secrets, now: testNow, heartbeatMs: 200 };
  const hostile = await startHostileUpstream(common);
  const tenantOnly = await startHostileUpstream({ ...common, plant: [secrets.adminToken] });
  return { hostile, tenantOnly };
}
