import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import type { Settings } from "../../core/api/views";
import { useOps } from "./ops-context";
import { keys } from "./query-keys";

const KEY = ["settings.set"];

/**
 * Saves settings with the change shown at once, in the same event (a theme radio that springs
 * back until the host answers reads as broken); a refetch in flight is cancelled so it cannot
 * undo the change, and once the last change settles the host's copy is read back.
 */
export function useSaveSettings(): (patch: Partial<Settings>) => void {
  const client = useOps();
  const queryClient = useQueryClient();
  const apply = useCallback(
    (patch: Partial<Settings>) => {
      const before = queryClient.getQueryData<Settings>(keys.settings);
      if (before) queryClient.setQueryData<Settings>(keys.settings, { ...before, ...patch });
      return before;
    },
    [queryClient],
  );
  const { mutate } = useMutation({
    mutationKey: KEY,
    mutationFn: (patch: Partial<Settings>) => client.invoke("settings.set", patch),
    onMutate: async (patch) => {
      await queryClient.cancelQueries({ queryKey: keys.settings }, { revert: false });
      apply(patch);
    },
    onSettled: () => {
      if (queryClient.isMutating({ mutationKey: KEY }) <= 1) {
        void queryClient.invalidateQueries({ queryKey: keys.settings });
      }
    },
  });
  return useCallback(
    (patch: Partial<Settings>) => {
      // Synchronously: a read-back already in flight must not land after this change.
      void queryClient.cancelQueries({ queryKey: keys.settings }, { revert: false });
      apply(patch);
      mutate(patch);
    },
    [apply, mutate, queryClient],
  );
}
