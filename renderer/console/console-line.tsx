import { memo } from "react";
import type { ConsoleLine } from "./console-lines";
import { markSegments, type Piece } from "./console-search";

export interface LineRange {
  start: number;
  end: number;
  /** Index of the match among all matches. */
  index: number;
}

/** One console line as React text nodes: colours as classes, matches as <mark>. */
export const ConsoleLineView = memo(function ConsoleLineView({
  line,
  index,
  ranges,
  currentMatch,
  top,
  measureRef,
}: {
  line: ConsoleLine;
  index: number;
  ranges: readonly LineRange[] | undefined;
  /** The current match's index when it is on this line, else -1 (keeps other lines memoised). */
  currentMatch: number;
  top: number;
  measureRef?: (el: HTMLElement | null) => void;
}) {
  const pieces = markSegments(
    line.segments,
    (ranges ?? []).map((r) => ({ start: r.start, end: r.end, current: r.index === currentMatch })),
  );
  return (
    <div
      className={`cl cl--${line.kind}`}
      data-index={index}
      data-line={index + 1}
      ref={measureRef}
      style={{ transform: `translateY(${top}px)` }}
    >
      <span className="cl__no" aria-hidden="true">
        {index + 1}
      </span>
      <span className="cl__text">
        {pieces.length === 0
          ? " "
          : // biome-ignore lint/suspicious/noArrayIndexKey: pieces of one line, in order
            pieces.map((p, i) => <PieceView key={i} piece={p} />)}
      </span>
    </div>
  );
});

function PieceView({ piece }: { piece: Piece }) {
  const style = piece.color || piece.background ? { color: piece.color, backgroundColor: piece.background } : undefined;
  const span =
    piece.cls || style ? (
      <span className={piece.cls || undefined} style={style}>
        {piece.text}
      </span>
    ) : (
      piece.text
    );
  if (piece.mark === 0) return span;
  return <mark className={piece.mark === 2 ? "hit hit--current" : "hit"}>{span}</mark>;
}
