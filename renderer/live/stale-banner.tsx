import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useOps } from "../app/ops-context";
import { clockTime, timeAgo } from "../ui/format-time";
import { useNow } from "../ui/use-now";
import { useConnectionBanner } from "./use-banner";
import { probe } from "./use-live-updates";

/** The stale/offline banner: what is down, since when the data is, and a retry. */
export function StaleBanner({ lastSyncAt }: { lastSyncAt: string | null }) {
  const client = useOps();
  const queryClient = useQueryClient();
  const banner = useConnectionBanner(lastSyncAt);
  const [retrying, setRetrying] = useState(false);
  const now = useNow(5000);
  if (!banner) return null;
  return (
    <div className={`banner banner--${banner.tone}`} role="alert" aria-label="Connection problem">
      <div className="banner__text">
        <strong>{banner.title}</strong>
        <span>{banner.detail}</span>
        <span className="banner__since">
          Last update:{" "}
          {banner.lastUpdate ? `${clockTime(banner.lastUpdate)} (${timeAgo(banner.lastUpdate, now)})` : "never"}
        </span>
      </div>
      <button
        type="button"
        className="btn btn--small"
        disabled={retrying}
        onClick={async () => {
          setRetrying(true);
          await probe(client, queryClient);
          setRetrying(false);
        }}
      >
        {retrying ? "Retrying…" : "Retry now"}
      </button>
    </div>
  );
}
