import { type QueryClient, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import type { LiveChange, StatusChange, WorkspaceList } from "../../core/api/views";
import { useOps } from "../app/ops-context";
import { keys } from "../app/query-keys";
import { useStoreValue } from "../app/small-store";
import type { UiOpsClient } from "../ui-ops-client";
import { applyStatusChanges } from "./apply-status-changes";
import { live } from "./live-state";

const FLUSH_MS = 60;
const PROBE_EVERY_MS = 15_000;
const REFETCH_DEBOUNCE_MS = 300;

/**
 * The "live" subscription for the page's life: status changes patch the cached list in place
 * (batched, so a relist of 10,000 rows is one update), connection changes feed the banner, and a
 * newly committed sync or a reconnect refetches the list (changes sent meanwhile were missed).
 */
export function useLiveUpdates(): void {
  const client = useOps();
  const queryClient = useQueryClient();
  const epoch = useStoreValue(live, (s) => s.epoch);

  // biome-ignore lint/correctness/useExhaustiveDependencies: epoch: a profile change opens the subscription again (a Config error ended the old one)
  useEffect(() => {
    let pending: StatusChange[] = [];
    let timer: ReturnType<typeof setTimeout> | null = null;
    let lastSync: string | null | undefined;
    let lastProbe = 0;
    let wasDown = !client.link.state.up;

    let refetchTimer: ReturnType<typeof setTimeout> | null = null;
    const refetchList = () => {
      refetchTimer ??= setTimeout(() => {
        refetchTimer = null;
        void queryClient.invalidateQueries({ queryKey: keys.workspaces }, { cancelRefetch: false });
      }, REFETCH_DEBOUNCE_MS);
    };

    const flush = () => {
      timer = null;
      const batch = pending;
      pending = [];
      let unknown: string[] = [];
      queryClient.setQueryData<WorkspaceList>(keys.workspaces, (old) => {
        if (!old) return old;
        const r = applyStatusChanges(old, batch);
        unknown = r.unknownIds;
        return r.list;
      });
      // New workspaces: one refetch, never a cascade (a first sync announces thousands of them in
      // batches; cancelling the fetch in flight for each batch refetched 3 MB a dozen times).
      if (unknown.length > 0) refetchList();
      for (const id of new Set(batch.map((c) => c.workspace_id))) {
        void queryClient.invalidateQueries({ queryKey: keys.detail(id) });
      }
    };

    const onItem = (item: LiveChange) => {
      live.set({ lastItemAt: Date.now(), subscriptionError: null });
      if (item.kind === "status") {
        pending.push(item);
        timer ??= setTimeout(flush, FLUSH_MS);
        return;
      }
      live.set({ connection: item, ...(item.tenant === "ok" && item.feed === "open" ? { probeError: null } : {}) });
      if (lastSync !== undefined && item.last_sync_at !== lastSync) refetchList();
      lastSync = item.last_sync_at;
      // A dropped feed is the first sign of a tenant going away; a sync tells for sure.
      if (item.feed === "waiting" && Date.now() - lastProbe > PROBE_EVERY_MS) {
        lastProbe = Date.now();
        void probe(client, queryClient);
      }
    };

    const unsubscribe = client.subscribe("live", {}, onItem, (error) => {
      live.set({ subscriptionError: error.message });
    });
    const offLink = client.link.subscribe(() => {
      const up = client.link.state.up;
      if (up && wasDown) refetchList();
      wasDown = !up;
    });
    return () => {
      unsubscribe();
      offLink();
      if (timer) clearTimeout(timer);
      if (refetchTimer) clearTimeout(refetchTimer);
    };
  }, [client, queryClient, epoch]);
}

/** Runs a sync now; its failure is the banner's evidence that the tenant is unreachable. */
export async function probe(client: UiOpsClient, queryClient: QueryClient): Promise<boolean> {
  try {
    await client.invoke("sync.run", {});
    live.set({ probeError: null });
    await queryClient.invalidateQueries({ queryKey: keys.workspaces });
    return true;
  } catch (error) {
    live.set({ probeError: (error as Error).message });
    return false;
  }
}
