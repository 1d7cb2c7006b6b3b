import { useQuery } from "@tanstack/react-query";
import type { ProfileView } from "../../core/api/views";
import { useOps } from "./ops-context";
import { keys } from "./query-keys";

export function useProfiles() {
  const client = useOps();
  return useQuery({ queryKey: keys.profiles, queryFn: () => client.invoke("profiles.list", {}) });
}

/** The profile the host works on, once known. */
export function useActiveProfile(): ProfileView | null {
  return useProfiles().data?.find((p) => p.active) ?? null;
}
