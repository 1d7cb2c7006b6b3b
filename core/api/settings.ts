import { z } from "zod";
import type { CredentialStore } from "../config/credentials";
import { noInput } from "./input-rules";
import type { HandlersOf } from "./schemas";
import type { Sessions } from "./sessions";

export const settingsRequests = {
  "app.info": noInput,
  "settings.get": noInput,
  "settings.set": z
    .object({
      theme: z.enum(["light", "dark", "system"]).optional(),
      sweepSeconds: z.number().int().min(5).max(3600).optional(),
      concurrency: z.number().int().min(1).max(256).optional(),
    })
    .strict(),
} as const;

export interface HostInfo {
  host: "electron" | "browser";
  version: string;
  credentials: CredentialStore;
}

/** What this host is (app.info) and the UI's settings, saved with the profiles. */
export function settingsHandlers(sessions: Sessions, info: HostInfo): HandlersOf<keyof typeof settingsRequests> {
  const { profiles } = sessions.o;
  return {
    "app.info": async () => ({
      host: info.host,
      version: info.version,
      profile: sessions.activeProfile()?.name ?? null,
      credentials: {
        kind: info.credentials.kind,
        detail: info.credentials.detail,
        canStore: info.credentials.canStore,
      },
    }),
    "settings.get": async () => profiles.read().settings,
    "settings.set": async (patch) => {
      const state = profiles.update((st) => {
        st.settings = { ...st.settings, ...patch };
      });
      return state.settings;
    },
  };
}
