import { clockTime } from "../ui/format-time";
import { isKnownStatus, statusLabel, UNCERTAIN } from "./statuses";

/**
 * A status as a badge: colour and glyph for the known ones, a neutral badge with the tenant's
 * own word for any other (never mapped to "offline", unlike the seed's canvas).
 */
export function StatusBadge({
  status,
  since,
  detail,
}: {
  status: string;
  since?: string | null;
  detail?: string | null;
}) {
  const known = isKnownStatus(status);
  const title = [
    known ? null : "a status this console does not know; shown as the tenant said it",
    status === UNCERTAIN && since ? `checks failing since ${clockTime(since)}` : null,
    detail,
  ]
    .filter(Boolean)
    .join(" — ");
  return (
    <span className={`badge badge--${known ? status : "unknown"}`} title={title || undefined} data-status={status}>
      <span className="badge__glyph" aria-hidden="true" />
      {statusLabel(status)}
      {status === UNCERTAIN && since ? <span className="badge__since"> since {clockTime(since)}</span> : null}
    </span>
  );
}
