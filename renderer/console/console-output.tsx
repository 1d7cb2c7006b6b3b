import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useMemo, useRef } from "react";
import { ConsoleLineView, type LineRange } from "./console-line";
import type { ConsoleLine } from "./console-lines";
import type { ConsoleMatch } from "./console-search";

const LINE_HEIGHT = 19;

/**
 * The console lines, virtualized: 256 KiB (thousands of lines) keeps a few dozen lines in the
 * DOM, so rendering, searching and re-highlighting never stall the page. With wrap on, rows are
 * measured as they render; with it off they have a fixed height and scroll sideways.
 */
export function ConsoleOutput({
  lines,
  matches,
  current,
  wrap,
  stickToEnd,
}: {
  lines: readonly ConsoleLine[];
  matches: readonly ConsoleMatch[];
  current: number;
  wrap: boolean;
  stickToEnd: boolean;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const byLine = useMemo(() => {
    const m = new Map<number, LineRange[]>();
    matches.forEach((match, index) => {
      const list = m.get(match.line);
      const range = { start: match.start, end: match.end, index };
      if (list) list.push(range);
      else m.set(match.line, [range]);
    });
    return m;
  }, [matches]);
  const virtualizer = useVirtualizer({
    count: lines.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => LINE_HEIGHT,
    overscan: 25,
  });

  // Row heights change with wrapping: forget the measured ones.
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-measure exactly when wrap flips
  useEffect(() => virtualizer.measure(), [wrap, virtualizer]);

  const target = matches[current];
  useEffect(() => {
    if (!target) return;
    virtualizer.scrollToIndex(target.line, { align: "center" });
    const raf = requestAnimationFrame(() =>
      scrollRef.current?.querySelector(".hit--current")?.scrollIntoView({ block: "nearest", inline: "nearest" }),
    );
    return () => cancelAnimationFrame(raf);
  }, [target, virtualizer]);

  useEffect(() => {
    if (stickToEnd && lines.length > 0 && !target) virtualizer.scrollToIndex(lines.length - 1, { align: "end" });
  }, [stickToEnd, lines, target, virtualizer]);

  const currentLine = target?.line ?? -1;
  return (
    <div
      ref={scrollRef}
      className={`console__output${wrap ? " console__output--wrap" : ""}`}
      role="log"
      aria-live="off"
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard to scroll it
      tabIndex={0}
      aria-label="Console output"
      data-lines={lines.length}
    >
      <div className="console__body" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((item) => {
          const line = lines[item.index];
          if (!line) return null;
          return (
            <ConsoleLineView
              key={item.key}
              line={line}
              index={item.index}
              ranges={byLine.get(item.index)}
              currentMatch={item.index === currentLine ? current : -1}
              top={item.start}
              measureRef={wrap ? virtualizer.measureElement : undefined}
            />
          );
        })}
      </div>
    </div>
  );
}
