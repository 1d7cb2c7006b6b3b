export type Verdict = "PASS" | "FAIL" | "SKIP" | "ERROR";

export interface TargetResult {
  name: string;
  verdict: Verdict;
  /** The one line printed for this target, verdict included. */
  line: string;
}

export function seconds(s: number): string {
  return `${s.toFixed(2)} s`;
}

export function millis(s: number): string {
  const ms = s * 1000;
  return `${ms < 10 ? ms.toFixed(3) : ms.toFixed(1)} ms`;
}

export function megabytes(kib: number): string {
  return `${(kib / 1024).toFixed(1)} MB`;
}

/** "1M", "200k", "3M": how the issue names log sizes. */
export function lineCount(n: number): string {
  if (n >= 1_000_000 && n % 100_000 === 0) return `${n / 1_000_000}M`;
  if (n >= 1000 && n % 1000 === 0) return `${n / 1000}k`;
  return String(n);
}

export function ratio(subject: number, baseline: number): string {
  return (subject / baseline).toFixed(2);
}

export function result(name: string, verdict: Verdict, text: string): TargetResult {
  const line = `${text} ${verdict === "FAIL" ? "FAIL <<<" : verdict}`;
  process.stdout.write(`${line}\n`);
  return { name, verdict, line };
}

export function skipped(name: string, why: string): TargetResult {
  return result(name, "SKIP", `${name}: skipped: ${why}`);
}

export function note(text: string): void {
  process.stdout.write(`  ${text}\n`);
}

export function printSummary(results: readonly TargetResult[]): void {
  const count = (v: Verdict) => results.filter((r) => r.verdict === v).length;
  process.stdout.write(
    `\nsummary: ${count("PASS")} PASS, ${count("FAIL")} FAIL, ${count("SKIP")} SKIP, ${count("ERROR")} ERROR\n`,
  );
  for (const r of results) process.stdout.write(`  ${r.verdict.padEnd(5)} ${r.name}\n`);
  const missed = results.filter((r) => r.verdict === "FAIL" || r.verdict === "ERROR");
  if (missed.length > 0) process.stdout.write(`targets missed: ${missed.map((r) => r.name).join(", ")}\n`);
}
