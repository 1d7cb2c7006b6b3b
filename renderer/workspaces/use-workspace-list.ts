import { useQuery } from "@tanstack/react-query";
import type { WorkspaceList } from "../../core/api/views";
import { useOps } from "../app/ops-context";
import { keys } from "../app/query-keys";

/**
 * The whole cached list, once; the live subscription keeps it current (so no polling), and the
 * host reads it from SQLite, so it loads with the tenant and the CP down.
 */
export function useWorkspaceList() {
  const client = useOps();
  return useQuery<WorkspaceList>({
    queryKey: keys.workspaces,
    queryFn: () => client.invoke("workspaces.list", {}),
    staleTime: Number.POSITIVE_INFINITY,
    // A fresh list is all-or-nothing; keep showing the old one while it loads.
    placeholderData: (previous) => previous,
  });
}
