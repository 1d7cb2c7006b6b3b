import { useSyncExternalStore } from "react";
import { useOps } from "../app/ops-context";
import { useStoreValue } from "../app/small-store";
import { type Banner, bannerOf } from "./connection-banner";
import { live } from "./live-state";

/** The banner's verdict from every source: the host link, the live engine, the page's own probes. */
export function useConnectionBanner(lastSyncAt: string | null): Banner | null {
  const client = useOps();
  const link = useSyncExternalStore(client.link.subscribe, () => client.link.state);
  const connection = useStoreValue(live, (s) => s.connection);
  const probeError = useStoreValue(live, (s) => s.probeError);
  return bannerOf({ connection, hostUp: link.up, hostError: link.error, probeError, lastSyncAt });
}
