import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { Settings } from "../../core/api/views";
import { probe } from "../live/use-live-updates";
import { useOps } from "./ops-context";
import { type Screen, ui } from "./ui-state";
import { useSaveSettings } from "./use-save-settings";
import { shownTheme } from "./use-theme";

const NAV: ReadonlyArray<{ screen: Screen; label: string; key: string }> = [
  { screen: "workspaces", label: "Workspaces", key: "g w" },
  { screen: "timeline", label: "Timeline", key: "g t" },
  { screen: "doctor", label: "Doctor", key: "g d" },
  { screen: "settings", label: "Settings", key: "g s" },
];

/** Product, navigation, the live indicator, and the few actions wanted from every screen. */
export function TopBar({
  screen,
  profile,
  theme,
  liveState: state,
}: {
  screen: Screen;
  profile: string | null;
  theme: Settings["theme"];
  /** live: all well; connecting: live updates interrupted; offline: the tenant or the host is unreachable. */
  liveState: "live" | "connecting" | "offline";
}) {
  const client = useOps();
  const queryClient = useQueryClient();
  const [syncing, setSyncing] = useState(false);
  const saveSettings = useSaveSettings();
  const nextTheme = shownTheme(theme) === "dark" ? "light" : "dark";
  return (
    <header className="topbar">
      <div className="topbar__brand">
        <span className="logo" aria-hidden="true" />
        <span className="topbar__name">molecule-ops</span>
        {profile && (
          <button
            type="button"
            className="chip"
            title="Tenant profile in use"
            onClick={() => ui.set({ screen: "settings" })}
          >
            {profile}
          </button>
        )}
      </div>
      <nav className="topbar__nav" aria-label="Screens">
        {NAV.map((n) => (
          <button
            key={n.screen}
            type="button"
            className="nav-link"
            aria-current={screen === n.screen ? "page" : undefined}
            title={`${n.label} (${n.key})`}
            onClick={() => ui.set({ screen: n.screen })}
          >
            {n.label}
          </button>
        ))}
      </nav>
      <div className="topbar__tools">
        <span className={`live-dot live-dot--${state}`} role="status" aria-label={`Live status: ${state}`}>
          {state === "live" ? "Live" : state === "offline" ? "Offline" : "Reconnecting"}
        </span>
        <button
          type="button"
          className="btn btn--small btn--ghost"
          disabled={syncing}
          title="Pull the tenant's list now (Shift+R)"
          onClick={async () => {
            setSyncing(true);
            await probe(client, queryClient);
            setSyncing(false);
          }}
        >
          {syncing ? "Syncing…" : "Sync now"}
        </button>
        <button
          type="button"
          className="btn btn--small btn--ghost"
          title={`Switch to the ${nextTheme} theme (t)`}
          aria-label={`Switch to the ${nextTheme} theme`}
          onClick={() => saveSettings({ theme: nextTheme })}
        >
          {nextTheme === "dark" ? "☾" : "☀"}
        </button>
        <button
          type="button"
          className="btn btn--small kbd-button"
          onClick={() => ui.set({ paletteOpen: true })}
          title="Command palette"
        >
          <kbd>Ctrl K</kbd>
        </button>
      </div>
    </header>
  );
}
