import { join } from "node:path";
import { LOG_FILE_NAME, LOG_KEEP, LOG_MAX_BYTES, type LogFilePolicy } from "../core/api/bug-log";

/**
 * The desktop app's log: in the folder Electron gives an app for its logs (`app.getPath("logs")`:
 * ~/Library/Logs/molecule-ops on macOS, the profile's `logs/` elsewhere), not in the data folder
 * the CLI uses, rotated like the other hosts' logs (core/api/bug-log.ts).
 */
export function desktopLogPolicy(logsDir: string): LogFilePolicy {
  return { path: join(logsDir, LOG_FILE_NAME), maxBytes: LOG_MAX_BYTES, keep: LOG_KEEP };
}
