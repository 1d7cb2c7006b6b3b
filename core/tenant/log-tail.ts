/**
 * The last `maxBytes` bytes of UTF-8 text, without a split character at the cut: the log tail
 * of a bootstrap failure (docs/contracts.md §5, at most 8 KiB) is what people read first, and it is the end
 * of the console that holds the traceback.
 */
export function logTail(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, "utf8");
  if (bytes.length <= maxBytes) return text;
  return bytes
    .subarray(bytes.length - maxBytes)
    .toString("utf8")
    .replace(/^\uFFFD+/, "");
}
