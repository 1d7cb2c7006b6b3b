import { useQueryClient } from "@tanstack/react-query";
import { useId, useMemo, useState } from "react";
import { useOps } from "../app/ops-context";
import { openWorkspace, ui } from "../app/ui-state";
import { useSaveSettings } from "../app/use-save-settings";
import { probe } from "../live/use-live-updates";
import { Dialog } from "../ui/dialog";
import { statusLabel } from "../workspaces/statuses";
import { useWorkspaceList } from "../workspaces/use-workspace-list";
import { rankEntries } from "./palette-match";

interface Entry {
  key: string;
  label: string;
  keywords?: string;
  hint: string;
  run: () => void;
}

const LIMIT = 50;

/** Ctrl/⌘+K: type to jump to a workspace (by name, id or instance) or to run an action. */
export function CommandPalette({ onClose }: { onClose: () => void }) {
  const client = useOps();
  const queryClient = useQueryClient();
  const rows = useWorkspaceList().data?.rows;
  const saveSettings = useSaveSettings();
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const listId = useId();
  const selectedId = ui.get().selectedId;

  const entries = useMemo<Entry[]>(() => {
    const actions: Entry[] = [
      { key: "go-ws", label: "Go to Workspaces", hint: "g w", run: () => ui.set({ screen: "workspaces" }) },
      { key: "go-tl", label: "Go to Timeline", hint: "g t", run: () => ui.set({ screen: "timeline" }) },
      { key: "go-dr", label: "Go to Doctor", hint: "g d", run: () => ui.set({ screen: "doctor" }) },
      { key: "go-st", label: "Go to Settings", hint: "g s", run: () => ui.set({ screen: "settings" }) },
      { key: "sync", label: "Sync with the tenant now", hint: "Shift R", run: () => void probe(client, queryClient) },
      {
        key: "theme-dark",
        label: "Use the dark theme",
        hint: "theme",
        run: () => saveSettings({ theme: "dark" }),
      },
      {
        key: "theme-light",
        label: "Use the light theme",
        hint: "theme",
        run: () => saveSettings({ theme: "light" }),
      },
      { key: "help", label: "Show keyboard shortcuts", hint: "?", run: () => ui.set({ helpOpen: true }) },
    ];
    if (selectedId) {
      const name = rows?.find((r) => r.id === selectedId)?.name ?? selectedId;
      actions.unshift(
        {
          key: "console",
          label: `Open the console of ${name}`,
          hint: "c",
          run: () => openWorkspace(selectedId, "console"),
        },
        { key: "restart", label: `Restart ${name}…`, hint: "r", run: () => ui.set({ restartFor: selectedId }) },
        { key: "events", label: `Events of ${name}`, hint: "e", run: () => openWorkspace(selectedId, "events") },
      );
    }
    const workspaces: Entry[] = (rows ?? []).map((r) => ({
      key: `ws-${r.id}`,
      label: r.name ?? r.id,
      keywords: `${r.id} ${r.instanceId ?? ""} ${r.runtime ?? ""}`,
      hint: `${statusLabel(r.status)} · workspace`,
      run: () => openWorkspace(r.id),
    }));
    return [...actions, ...workspaces];
  }, [rows, selectedId, client, queryClient, saveSettings]);

  const shown = useMemo(() => rankEntries(entries, query, LIMIT), [entries, query]);
  const at = Math.min(active, Math.max(0, shown.length - 1));
  const choose = (entry: Entry | undefined) => {
    if (!entry) return;
    onClose();
    entry.run();
  };

  return (
    <Dialog title="Command palette" onClose={onClose} className="dialog--palette">
      <input
        className="input palette__input"
        role="combobox"
        aria-expanded="true"
        aria-controls={listId}
        aria-activedescendant={shown[at] ? `palette-${shown[at].key}` : undefined}
        aria-label="Jump to a workspace or action"
        placeholder="Workspace name, id or instance — or an action"
        value={query}
        autoFocus
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={(e) => {
          if (e.key === "ArrowDown" || e.key === "ArrowUp") {
            e.preventDefault();
            const n = shown.length;
            if (n > 0) setActive((at + (e.key === "ArrowDown" ? 1 : -1) + n) % n);
          } else if (e.key === "Enter") {
            e.preventDefault();
            choose(shown[at]);
          }
        }}
      />
      <div id={listId} role="listbox" aria-label="Results" className="palette__list">
        {shown.length === 0 && <p className="muted palette__empty">Nothing matches “{query}”.</p>}
        {shown.map((e, i) => (
          // biome-ignore lint/a11y/useKeyWithClickEvents: the combobox input handles the keyboard
          <div
            key={e.key}
            id={`palette-${e.key}`}
            role="option"
            aria-selected={i === at}
            className={`palette__item${i === at ? " palette__item--active" : ""}`}
            onMouseEnter={() => setActive(i)}
            onClick={() => choose(e)}
            tabIndex={-1}
          >
            <span>{e.label}</span>
            <span className="palette__hint">{e.hint}</span>
          </div>
        ))}
      </div>
    </Dialog>
  );
}
