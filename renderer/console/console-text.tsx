import { useMemo } from "react";
import { parseConsole } from "./console-lines";

/** A short console excerpt (a crash tail, at most 8 KiB) rendered whole, colours and highlights included. */
export function ConsoleText({ text, label }: { text: string; label: string }) {
  const lines = useMemo(() => parseConsole(text), [text]);
  return (
    <div className="console-text" role="log" aria-label={label}>
      {lines.map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: lines of a fixed text, in order
        <div key={i} className={`cl cl--static cl--${line.kind}`}>
          <span className="cl__text">
            {line.segments.map((s, j) =>
              s.cls || s.color || s.background ? (
                // biome-ignore lint/suspicious/noArrayIndexKey: segments of a fixed line, in order
                <span key={j} className={s.cls || undefined} style={{ color: s.color, backgroundColor: s.background }}>
                  {s.text}
                </span>
              ) : (
                s.text
              ),
            )}
            {line.segments.length === 0 ? " " : null}
          </span>
        </div>
      ))}
    </div>
  );
}
