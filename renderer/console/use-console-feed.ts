import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import type { ConsoleView } from "../../core/api/views";
import { describeError } from "../app/errors";
import { useOps } from "../app/ops-context";
import { keys } from "../app/query-keys";

export interface FetchStamp {
  at: string;
  ok: boolean;
  bytes: number | null;
  cached: boolean;
  /** Bytes more than the previous fetch (the console grows while an instance boots). */
  grew: number | null;
  error: string | null;
}

/**
 * The serial console of one workspace: fetched on open, on demand, and every `intervalMs` while
 * following; or the cached copy (offline). Every fetch is stamped, success or not, so staff can
 * tell how fresh what they read is — the seed's modal fetched once and never said when.
 */
export function useConsoleFeed(id: string, o: { cached: boolean; follow: boolean; intervalMs: number }) {
  const client = useOps();
  const query = useQuery<ConsoleView>({
    queryKey: keys.console(id, o.cached),
    queryFn: () => client.invoke("console.read", o.cached ? { id, cached: true } : { id }),
    refetchInterval: o.follow && !o.cached ? o.intervalMs : false,
    refetchIntervalInBackground: false,
    staleTime: 0,
    gcTime: 60_000,
    retry: false,
  });
  const [stamps, setStamps] = useState<FetchStamp[]>([]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: one stamp per completed fetch
  useEffect(() => {
    if (!query.data) return;
    const bytes = new TextEncoder().encode(query.data.output).length;
    setStamps((s) => {
      const prev = s.find((x) => x.ok && x.bytes !== null);
      const stamp: FetchStamp = {
        at: query.data.fetchedAt,
        ok: true,
        bytes,
        cached: query.data.cached,
        grew: prev?.bytes != null ? bytes - prev.bytes : null,
        error: null,
      };
      return [stamp, ...s].slice(0, 20);
    });
  }, [query.dataUpdatedAt]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: one stamp per failed fetch
  useEffect(() => {
    if (!query.error) return;
    const stamp: FetchStamp = {
      at: new Date().toISOString(),
      ok: false,
      bytes: null,
      cached: o.cached,
      grew: null,
      error: describeError(query.error).message,
    };
    setStamps((s) => [stamp, ...s].slice(0, 20));
  }, [query.errorUpdatedAt]);

  return { ...query, stamps };
}
