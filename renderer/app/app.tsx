import { useQuery } from "@tanstack/react-query";
import { DoctorScreen } from "../doctor/doctor-screen";
import { StaleBanner } from "../live/stale-banner";
import { useConnectionBanner } from "../live/use-banner";
import { useLiveUpdates } from "../live/use-live-updates";
import { CommandPalette } from "../palette/command-palette";
import { RestartDialog } from "../restart/restart-dialog";
import { SettingsScreen, ShortcutTable } from "../settings/settings-screen";
import { TimelineScreen } from "../timeline/timeline-screen";
import { Dialog } from "../ui/dialog";
import { useWorkspaceList } from "../workspaces/use-workspace-list";
import { WorkspacesScreen } from "../workspaces/workspaces-screen";
import { useOps } from "./ops-context";
import { keys } from "./query-keys";
import { useStoreValue } from "./small-store";
import { TopBar } from "./top-bar";
import { ui } from "./ui-state";
import { useShortcuts } from "./use-shortcuts";
import { useTheme } from "./use-theme";

/** The shell: top bar and navigation, the stale banner, the current screen, and the app-wide dialogs. */
export function App() {
  const client = useOps();
  const theme = useTheme();
  useLiveUpdates();
  useShortcuts(theme);
  const screen = useStoreValue(ui, (s) => s.screen);
  const paletteOpen = useStoreValue(ui, (s) => s.paletteOpen);
  const helpOpen = useStoreValue(ui, (s) => s.helpOpen);
  const restartFor = useStoreValue(ui, (s) => s.restartFor);
  const list = useWorkspaceList();
  const info = useQuery({ queryKey: keys.appInfo, queryFn: () => client.invoke("app.info", {}) });
  const banner = useConnectionBanner(list.data?.lastSyncAt ?? null);
  const restartTarget = restartFor ? list.data?.rows.find((r) => r.id === restartFor) : undefined;

  return (
    <>
      <div id="app" className="app">
        <TopBar
          screen={screen}
          profile={info.data?.profile ?? null}
          theme={theme}
          liveState={banner ? (banner.tone === "offline" ? "offline" : "connecting") : "live"}
        />
        <StaleBanner lastSyncAt={list.data?.lastSyncAt ?? null} />
        <main className="app__main" aria-label={SCREEN_NAMES[screen]}>
          {screen === "workspaces" ? (
            <WorkspacesScreen />
          ) : screen === "timeline" ? (
            <TimelineScreen />
          ) : screen === "doctor" ? (
            <DoctorScreen />
          ) : (
            <SettingsScreen />
          )}
        </main>
      </div>
      {paletteOpen && <CommandPalette onClose={() => ui.set({ paletteOpen: false })} />}
      {helpOpen && (
        <Dialog title="Keyboard shortcuts" onClose={() => ui.set({ helpOpen: false })}>
          <ShortcutTable />
        </Dialog>
      )}
      {restartTarget && <RestartDialog workspace={restartTarget} onClose={() => ui.set({ restartFor: null })} />}
    </>
  );
}

const SCREEN_NAMES = {
  workspaces: "Workspaces screen",
  timeline: "Timeline screen",
  doctor: "Doctor screen",
  settings: "Settings screen",
} as const;
