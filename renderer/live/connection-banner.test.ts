import { describe, expect, it } from "vitest";
import type { ConnectionChange } from "../../core/api/views";
import { bannerOf } from "./connection-banner";

const ok: ConnectionChange = {
  kind: "connection",
  tenant: "ok",
  feed: "open",
  last_sync_at: "2026-11-29T10:00:00.000Z",
  error: null,
};
const base = { connection: ok, hostUp: true, hostError: null, probeError: null, lastSyncAt: null };

describe("bannerOf", () => {
  it("says nothing while all is well, or while the feed is still starting", () => {
    expect(bannerOf(base)).toBeNull();
    expect(bannerOf({ ...base, connection: { ...ok, feed: "connecting" } })).toBeNull();
    expect(bannerOf({ ...base, connection: null })).toBeNull();
  });

  it("reports an unreachable tenant with the engine's error and the last sync", () => {
    const b = bannerOf({ ...base, connection: { ...ok, tenant: "unreachable", error: "tenant: connection refused" } });
    expect(b).toMatchObject({ tone: "offline", detail: "tenant: connection refused", lastUpdate: ok.last_sync_at });
  });

  it("reports a failed probe, a lost host and a dropped feed", () => {
    expect(bannerOf({ ...base, probeError: "refused" })?.tone).toBe("offline");
    expect(bannerOf({ ...base, hostUp: false })?.title).toMatch(/host/);
    expect(bannerOf({ ...base, connection: { ...ok, feed: "waiting" } })?.tone).toBe("degraded");
  });
});
