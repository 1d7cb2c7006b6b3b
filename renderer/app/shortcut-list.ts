/** The keyboard shortcuts, as the help and Settings list them (handled in use-shortcuts.ts). */
export const SHORTCUTS: ReadonlyArray<{ keys: string; does: string }> = [
  { keys: "Ctrl/⌘ K", does: "Command palette: jump to a workspace or an action" },
  { keys: "/", does: "Search: the workspace filter, or the console search when the console is open" },
  { keys: "g w · g t · g d · g s", does: "Go to Workspaces · Timeline · Doctor · Settings" },
  { keys: "j / k  or  ↓ / ↑", does: "Next / previous workspace (in the table)" },
  { keys: "Enter", does: "Open the selected workspace's console (in the table)" },
  { keys: "o · c · e", does: "Overview · Console · Events of the selected workspace" },
  { keys: "r", does: "Restart the selected workspace (asks first)" },
  { keys: "Shift R", does: "Sync with the tenant now" },
  { keys: "t", does: "Switch between light and dark theme" },
  { keys: "Esc", does: "Close the dialog, or the detail panel" },
  { keys: "?", does: "Show these shortcuts" },
];
