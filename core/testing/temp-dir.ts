import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach } from "vitest";

/**
 * A fresh temp folder for each test of the file (named with `prefix`), removed after it: call the
 * result for its path. With `umask`, each test also runs under that umask (022: a login shell's,
 * under which files come out 0644 unless asked otherwise), restored after it.
 */
export function tempDirPerTest(prefix: string, options: { umask?: number } = {}): () => string {
  let dir: string | undefined;
  let saved: number | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
    if (options.umask !== undefined) saved = process.umask(options.umask);
  });
  afterEach(() => {
    if (saved !== undefined) process.umask(saved);
    saved = undefined;
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });
  return () => {
    if (dir === undefined) throw new Error("tempDirPerTest: the folder exists only while a test runs");
    return dir;
  };
}

/** A file's permission bits (0o600, 0o700, …). */
export const fileMode = (path: string): number => statSync(path).mode & 0o777;

/** Every file below a folder (none when it does not exist), for scans of what a run wrote. */
export function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}
