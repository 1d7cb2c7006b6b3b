import { useQuery } from "@tanstack/react-query";
import { useEffect } from "react";
import type { Settings } from "../../core/api/views";
import { useOps } from "./ops-context";
import { keys } from "./query-keys";

/**
 * Applies the theme setting: data-theme="light"|"dark" on <html>, or none for "system", where
 * the stylesheet follows prefers-color-scheme by itself (so the first paint is right too).
 */
export function useTheme(): Settings["theme"] {
  const client = useOps();
  const settings = useQuery({ queryKey: keys.settings, queryFn: () => client.invoke("settings.get", {}), retry: 1 });
  const theme = settings.data?.theme ?? "system";
  useEffect(() => {
    const root = document.documentElement;
    if (theme === "system") root.removeAttribute("data-theme");
    else root.setAttribute("data-theme", theme);
  }, [theme]);
  return theme;
}

/** The theme actually on screen (for a toggle): the setting, or what the system prefers. */
export function shownTheme(theme: Settings["theme"]): "light" | "dark" {
  if (theme !== "system") return theme;
  return window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}
