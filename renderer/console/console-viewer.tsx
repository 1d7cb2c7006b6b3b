import { useMemo, useState } from "react";
import { safeFileName, saveBlob } from "../transport/save-blob";
import { formatBytes, preciseTime } from "../ui/format-time";
import { ErrorMessage, StateMessage } from "../ui/state-message";
import { parseConsole } from "./console-lines";
import { ConsoleOutput } from "./console-output";
import { MAX_MATCHES, searchLines, stepMatch } from "./console-search";
import { useConsoleFeed } from "./use-console-feed";

const INTERVALS = [2000, 5000, 10_000, 30_000];

/**
 * The serial console viewer: follow with a refresh interval, manual refresh, search with a match
 * count and next/previous, wrap, ANSI colours as classes (never HTML), RUNTIME CRASHED and
 * tracebacks highlighted, fetch times, and a download of exactly what was fetched.
 */
export function ConsoleViewer({ id, label }: { id: string; label: string }) {
  const [follow, setFollow] = useState(false);
  const [intervalMs, setIntervalMs] = useState(5000);
  const [wrap, setWrap] = useState(false);
  const [cached, setCached] = useState(false);
  const [query, setQuery] = useState("");
  const [caseSensitive, setCaseSensitive] = useState(false);
  const [current, setCurrent] = useState(0);
  const feed = useConsoleFeed(id, { cached, follow, intervalMs });
  const output = feed.data?.output ?? "";
  const lines = useMemo(() => parseConsole(output), [output]);
  // Not deferred: 256 KiB searches in a few milliseconds, and one render shows the result sooner.
  const matches = useMemo(() => searchLines(lines, query, { caseSensitive }), [lines, query, caseSensitive]);
  const bytes = useMemo(() => new TextEncoder().encode(output).length, [output]);
  const at = matches.length === 0 ? -1 : Math.min(current, matches.length - 1);
  const crashLine = useMemo(() => lines.findIndex((l) => l.kind === "crash"), [lines]);

  const go = (direction: 1 | -1) =>
    setCurrent((c) => stepMatch(matches.length, Math.min(c, matches.length - 1), direction));
  const download = () => {
    if (!feed.data) return;
    const stamp = feed.data.fetchedAt.replace(/[:.]/g, "-");
    saveBlob(
      new Blob([feed.data.output], { type: "text/plain;charset=utf-8" }),
      `console-${safeFileName(label)}-${stamp}.log`,
    );
  };

  const count =
    query === ""
      ? ""
      : matches.length === 0
        ? "No matches"
        : `${at + 1} of ${matches.length}${matches.length >= MAX_MATCHES ? "+" : ""}`;

  return (
    <section className="console" aria-label="Serial console">
      <div className="console__toolbar" role="toolbar" aria-label="Console controls">
        <label className="toggle">
          <input type="checkbox" checked={follow} disabled={cached} onChange={(e) => setFollow(e.target.checked)} />
          Follow
        </label>
        <select
          className="input input--small"
          aria-label="Refresh interval"
          value={intervalMs}
          onChange={(e) => setIntervalMs(Number(e.target.value))}
        >
          {INTERVALS.map((ms) => (
            <option key={ms} value={ms}>
              every {ms / 1000} s
            </option>
          ))}
        </select>
        <button type="button" className="btn btn--small" onClick={() => void feed.refetch()} disabled={feed.isFetching}>
          {feed.isFetching ? "Refreshing…" : "Refresh"}
        </button>
        <label className="toggle">
          <input type="checkbox" checked={wrap} onChange={(e) => setWrap(e.target.checked)} />
          Wrap lines
        </label>
        <button type="button" className="btn btn--small" onClick={download} disabled={!feed.data}>
          Download
        </button>
        {crashLine !== -1 && (
          <button
            type="button"
            className="btn btn--small btn--warn"
            onClick={() => {
              setQuery("RUNTIME CRASHED");
              setCurrent(0);
            }}
          >
            Jump to crash
          </button>
        )}
      </div>
      <div className="console__search">
        <input
          id="console-search"
          className="input"
          type="search"
          aria-label="Search console"
          placeholder="Search the console (Enter: next, Shift+Enter: previous)"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setCurrent(0);
          }}
          onKeyDown={(e) => {
            if (e.key === "Enter") {
              e.preventDefault();
              go(e.shiftKey ? -1 : 1);
            } else if (e.key === "Escape") setQuery("");
          }}
          autoComplete="off"
          spellCheck={false}
        />
        <label className="toggle" title="Match case">
          <input type="checkbox" checked={caseSensitive} onChange={(e) => setCaseSensitive(e.target.checked)} />
          Aa
        </label>
        <output className="console__count" aria-live="polite" data-testid="console-match-count">
          {count}
        </output>
        <button
          type="button"
          className="btn btn--small"
          aria-label="Previous match"
          onClick={() => go(-1)}
          disabled={matches.length === 0}
        >
          ↑
        </button>
        <button
          type="button"
          className="btn btn--small"
          aria-label="Next match"
          onClick={() => go(1)}
          disabled={matches.length === 0}
        >
          ↓
        </button>
      </div>
      <div className="console__status">
        {feed.data ? (
          <span data-testid="console-fetched">
            {feed.data.cached ? "Cached copy from " : "Fetched "}
            <time dateTime={feed.data.fetchedAt}>{preciseTime(feed.data.fetchedAt)}</time> · {formatBytes(bytes)} ·{" "}
            {lines.length} lines
            {feed.data.instanceId ? ` · ${feed.data.instanceId}` : ""}
            {follow && !cached ? ` · following every ${intervalMs / 1000} s` : ""}
          </span>
        ) : (
          <span>Not fetched yet</span>
        )}
        {cached && (
          <button type="button" className="btn btn--link" onClick={() => setCached(false)}>
            Back to the live console
          </button>
        )}
        {feed.stamps.length > 0 && (
          <details className="console__stamps">
            <summary>Fetch history ({feed.stamps.length})</summary>
            <ol>
              {feed.stamps.map((s, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: newest first, append-only
                <li key={`${s.at}-${i}`} className={s.ok ? "" : "stamp--error"}>
                  <time dateTime={s.at}>{preciseTime(s.at)}</time>{" "}
                  {s.ok
                    ? `${formatBytes(s.bytes ?? 0)}${s.grew ? ` (+${formatBytes(s.grew)})` : ""}${s.cached ? " cached" : ""}`
                    : `failed: ${s.error}`}
                </li>
              ))}
            </ol>
          </details>
        )}
      </div>
      {feed.error && (
        <ErrorMessage
          error={feed.error}
          title={feed.data ? "The last refresh failed; showing the previous fetch" : "The console could not be read"}
          action={
            !cached ? (
              <button type="button" className="btn" onClick={() => setCached(true)}>
                Show the cached console
              </button>
            ) : undefined
          }
        />
      )}
      {feed.data ? (
        lines.length === 0 ? (
          <StateMessage title="The console is empty so far">
            <p>An instance prints its boot log within seconds of starting; turn on Follow to watch it arrive.</p>
          </StateMessage>
        ) : (
          <ConsoleOutput lines={lines} matches={matches} current={at} wrap={wrap} stickToEnd={follow} />
        )
      ) : feed.isPending && !feed.error ? (
        <StateMessage tone="loading" title="Reading the serial console through the control plane…" />
      ) : null}
    </section>
  );
}
