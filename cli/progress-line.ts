/**
 * A one-line progress bar on a terminal (stderr), redrawn at most every 200 ms; nothing at
 * all when stderr is not a terminal, so scripts and --json output stay clean.
 */
export class ProgressLine {
  private last = 0;
  private drawn = false;
  private readonly started = Date.now();

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly totalBytes: number | null,
  ) {}

  update(p: { sourceBytes: number; lines: number; events: number }): void {
    if (!this.out.isTTY) return;
    const now = Date.now();
    if (now - this.last < 200) return;
    this.last = now;
    const secs = Math.max((now - this.started) / 1000, 0.001);
    const rate = `${Math.round(p.lines / secs).toLocaleString("en")} lines/s`;
    let bar = "";
    if (this.totalBytes) {
      const ratio = Math.min(p.sourceBytes / this.totalBytes, 1);
      const width = 24;
      const filled = Math.round(ratio * width);
      bar = `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${(ratio * 100).toFixed(0).padStart(3)}% `;
    }
    this.out.write(
      `\r${bar}${p.lines.toLocaleString("en")} lines, ${p.events.toLocaleString("en")} records, ${rate}\u001b[K`,
    );
    this.drawn = true;
  }

  done(): void {
    if (this.drawn) this.out.write("\r\u001b[K");
  }
}
