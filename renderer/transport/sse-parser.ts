/**
 * Incremental text/event-stream parser for the browser host's subscriptions. EventSource cannot
 * send the token header, so the page reads the body with fetch and feeds the decoded text here.
 * It handles what the host writes (`data:` lines, `:` comments, blank-line dispatch) and what any
 * SSE writer may do (CRLF endings, multi-line data, chunks cut anywhere).
 */
export class SseParser {
  private buffer = "";
  private data: string[] = [];

  /** Feeds decoded text; returns the data of every event it completed, in order. */
  push(text: string): string[] {
    this.buffer += text;
    const events: string[] = [];
    let start = 0;
    for (;;) {
      const nl = this.buffer.indexOf("\n", start);
      if (nl === -1) break;
      let line = this.buffer.slice(start, nl);
      start = nl + 1;
      if (line.endsWith("\r")) line = line.slice(0, -1);
      if (line === "") {
        if (this.data.length > 0) events.push(this.data.join("\n"));
        this.data = [];
        continue;
      }
      if (line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? "" : line.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      if (field === "data") this.data.push(value);
    }
    this.buffer = this.buffer.slice(start);
    return events;
  }
}
