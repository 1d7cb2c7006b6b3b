/**
 * Splits a byte stream into lines without ever holding more than one line plus one chunk, so
 * an import's memory does not grow with the log. A line longer than `maxLineBytes` is not
 * buffered: its head is kept for the report and the rest is skipped to the next newline.
 */
export interface LineSink {
  /** A complete line in `buf[start, end)`, without its "\n" (a "\r" before it is the parser's). */
  line(buf: Buffer, start: number, end: number): void;
  /** A line over the limit: its first bytes, and its full length. */
  tooLong(head: Buffer, length: number): void;
}

export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private skipping = false;
  private skippedBytes = 0;
  private head: Buffer | null = null;

  constructor(
    private readonly sink: LineSink,
    private readonly maxLineBytes: number,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl === -1) break;
      this.emit(chunk, start, nl);
      start = nl + 1;
    }
    if (start < chunk.length) this.hold(chunk.subarray(start));
  }

  /** The last line, when the input does not end with a newline. */
  end(): void {
    if (this.skipping) {
      this.sink.tooLong(this.head!, this.skippedBytes);
      this.resetSkip();
    } else if (this.pendingBytes > 0) {
      const line = Buffer.concat(this.pending, this.pendingBytes);
      this.pending = [];
      this.pendingBytes = 0;
      this.sink.line(line, 0, line.length);
    }
  }

  private emit(chunk: Buffer, start: number, nl: number): void {
    if (this.skipping) {
      this.sink.tooLong(this.head!, this.skippedBytes + (nl - start));
      this.resetSkip();
      return;
    }
    if (this.pendingBytes === 0) {
      if (nl - start > this.maxLineBytes) this.sink.tooLong(chunk.subarray(start, start + 256), nl - start);
      else this.sink.line(chunk, start, nl);
      return;
    }
    if (this.pendingBytes + (nl - start) > this.maxLineBytes) {
      this.head = Buffer.concat(this.pending, this.pendingBytes).subarray(0, 256);
      this.sink.tooLong(this.head, this.pendingBytes + (nl - start));
      this.pending = [];
      this.pendingBytes = 0;
      this.resetSkip();
      return;
    }
    this.pending.push(chunk.subarray(start, nl));
    const line = Buffer.concat(this.pending, this.pendingBytes + (nl - start));
    this.pending = [];
    this.pendingBytes = 0;
    this.sink.line(line, 0, line.length);
  }

  private hold(rest: Buffer): void {
    if (this.skipping) {
      this.skippedBytes += rest.length;
      return;
    }
    if (this.pendingBytes + rest.length > this.maxLineBytes) {
      this.pending.push(rest);
      this.head = Buffer.from(Buffer.concat(this.pending, this.pendingBytes + rest.length).subarray(0, 256));
      this.skippedBytes = this.pendingBytes + rest.length;
      this.skipping = true;
      this.pending = [];
      this.pendingBytes = 0;
      return;
    }
    // Copied: the caller's chunk may be reused by the stream.
    this.pending.push(Buffer.from(rest));
    this.pendingBytes += rest.length;
  }

  private resetSkip(): void {
    this.skipping = false;
    this.skippedBytes = 0;
    this.head = null;
  }
}
