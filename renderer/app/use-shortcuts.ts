import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import type { Settings } from "../../core/api/views";
import { probe } from "../live/use-live-updates";
import { useOps } from "./ops-context";
import { focusSoon, openWorkspace, type Screen, ui } from "./ui-state";
import { useSaveSettings } from "./use-save-settings";
import { shownTheme } from "./use-theme";

const GO: Record<string, Screen> = { w: "workspaces", t: "timeline", d: "doctor", s: "settings" };

/** Global keyboard shortcuts (listed in shortcut-list.ts); typing in a field is never hijacked. */
export function useShortcuts(theme: Settings["theme"]): void {
  const client = useOps();
  const queryClient = useQueryClient();
  const saveTheme = useSaveSettings();
  useEffect(() => {
    let pendingG = 0;
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === "k") {
        e.preventDefault();
        ui.set((s) => ({ paletteOpen: !s.paletteOpen }));
        return;
      }
      if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
      if (isTyping(e.target) || document.querySelector("dialog[open]")) return;
      const s = ui.get();
      if (pendingG && Date.now() - pendingG < 1500 && GO[e.key]) {
        pendingG = 0;
        ui.set({ screen: GO[e.key] as Screen });
        return;
      }
      pendingG = 0;
      switch (e.key) {
        case "g":
          pendingG = Date.now();
          return;
        case "/":
          e.preventDefault();
          if (s.screen === "workspaces" && s.selectedId && s.detailTab === "console") focusSoon("#console-search");
          else {
            ui.set({ screen: "workspaces", detailExpanded: false });
            focusSoon("#workspace-filter");
          }
          return;
        case "?":
          ui.set({ helpOpen: true });
          return;
        case "Escape":
          if (s.selectedId) ui.set({ selectedId: null, detailExpanded: false });
          return;
        case "j":
        case "k":
          moveSelection(e.key === "j" ? 1 : -1);
          return;
        case "o":
        case "c":
        case "e":
          if (s.selectedId)
            openWorkspace(s.selectedId, e.key === "o" ? "overview" : e.key === "c" ? "console" : "events");
          return;
        case "r":
          if (s.selectedId) ui.set({ restartFor: s.selectedId });
          return;
        case "R":
          void probe(client, queryClient);
          return;
        case "t": {
          const next = shownTheme(theme) === "dark" ? "light" : "dark";
          saveTheme({ theme: next });
          return;
        }
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [client, queryClient, theme, saveTheme]);
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !["checkbox", "radio", "button"].includes(target.type);
}

/** j/k outside the grid: the grid handles its own arrows, so send it one. */
function moveSelection(step: 1 | -1): void {
  const grid = document.querySelector<HTMLElement>("[role=grid][aria-label=Workspaces]");
  if (!grid) return;
  grid.focus();
  grid.dispatchEvent(new KeyboardEvent("keydown", { key: step === 1 ? "ArrowDown" : "ArrowUp", bubbles: true }));
}
