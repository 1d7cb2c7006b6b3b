import type { ConnectionChange } from "../../core/api/views";

export interface BannerInput {
  /** The live engine's last word about its upstreams (null before the first one). */
  connection: ConnectionChange | null;
  /** Whether the page reaches its host. */
  hostUp: boolean;
  hostError: string | null;
  /** A failed "sync now" or probe (the tenant is down even when the engine has not said so yet). */
  probeError: string | null;
  /** The last committed sync, from the engine or the list. */
  lastSyncAt: string | null;
}

export interface Banner {
  tone: "offline" | "degraded";
  title: string;
  detail: string;
  lastUpdate: string | null;
}

/**
 * What the stale/offline banner says, or null when all is well. The rows stay on screen in every
 * case: they are the cache's, and staff need the last known state most when upstreams are down.
 */
export function bannerOf(i: BannerInput): Banner | null {
  const lastUpdate = i.connection?.last_sync_at ?? i.lastSyncAt;
  if (!i.hostUp) {
    return {
      tone: "offline",
      title: "Offline — lost contact with the molecule-ops host",
      detail: `${i.hostError ?? "The host is not answering"}. Showing the rows loaded before; reconnecting…`,
      lastUpdate,
    };
  }
  if (i.connection?.tenant === "unreachable" || i.probeError) {
    return {
      tone: "offline",
      title: "Offline — the tenant is unreachable; showing stale cached data",
      detail: i.connection?.error ?? i.probeError ?? "The tenant platform does not answer.",
      lastUpdate,
    };
  }
  if (i.connection?.feed === "waiting") {
    return {
      tone: "degraded",
      title: "Live updates interrupted — data may be stale",
      detail: "The tenant's event feed dropped; reconnecting. Statuses refresh on the next sync.",
      lastUpdate,
    };
  }
  return null;
}
