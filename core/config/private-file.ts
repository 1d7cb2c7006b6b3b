import { randomBytes } from "node:crypto";
import {
  closeSync,
  constants,
  fchmodSync,
  fstatSync,
  fsyncSync,
  openSync,
  renameSync,
  rmSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";

// O_NOFOLLOW where the platform has it (not Windows): a link planted at the name is never opened.
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const CREATE_NEW = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NOFOLLOW;
const APPEND = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | NOFOLLOW;

/**
 * A file that did not exist, created for writing with mode 0600 whatever the umask. O_EXCL: a
 * file or a link someone planted at `path` makes this fail instead of being written into (issue
 * 14: the credentials' temp file had a predictable name, and a planted file was written into).
 */
export function createPrivateFile(path: string): number {
  return checked(openSync(path, CREATE_NEW, 0o600), path);
}

/** An append-only private file (a log): created 0600 when absent, never through a link. */
export function openPrivateAppend(path: string): number {
  return checked(openSync(path, APPEND, 0o600), path);
}

/**
 * Checked through the descriptor, after opening and before anything is written: a regular file,
 * ours, that group and others cannot open; then exactly 0600. What the name pointed to when it
 * was opened is what gets written, so a swap between the check and the write changes nothing.
 */
function checked(fd: number, path: string): number {
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new Error(`${path} is not a regular file`);
    if (process.platform !== "win32") {
      const uid = process.getuid?.();
      if (uid !== undefined && st.uid !== uid) throw new Error(`${path} belongs to another user (uid ${st.uid})`);
      // A file we just created can only be looser if the file system ignores modes: refuse it.
      // An existing log of ours from before is tightened.
      fchmodSync(fd, 0o600);
      if ((fstatSync(fd).mode & 0o077) !== 0) throw new Error(`${path} cannot be made private (mode 0600)`);
    }
    return fd;
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/** Every byte, whatever write(2) does with large buffers. */
export function writeAll(fd: number, data: string | Uint8Array): void {
  const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
}

/**
 * A random name beside `target` (same directory, so the rename is atomic); not hidden, so one
 * left by a killed process is seen and removed.
 */
export function tempPathFor(target: string): string {
  return join(dirname(target), `${basename(target)}.${randomBytes(8).toString("hex")}.tmp`);
}

/**
 * Writes `target` through a private temp file beside it, renamed over it once complete: readers
 * never see half a file, and the result is 0600. A link at `target` is replaced, not followed.
 * The temp file is removed when writing fails. For streamed exports: no fsync, which would make
 * a large export wait for the disk, and an export lost to a power cut is made again.
 */
export async function replaceFile(target: string, write: (fd: number) => void | Promise<void>): Promise<void> {
  const tmp = tempPathFor(target);
  const fd = createPrivateFile(tmp);
  try {
    await write(fd);
  } catch (error) {
    discard(fd, tmp);
    throw error;
  }
  commit(fd, tmp, target);
}

/**
 * replaceFile for a small file at hand (credentials, settings, a console): synced before the
 * rename, so a crash leaves the old file or the new one, never an empty one.
 */
export function replaceFileSync(target: string, data: string | Uint8Array): void {
  const tmp = tempPathFor(target);
  const fd = createPrivateFile(tmp);
  try {
    writeAll(fd, data);
    fsyncSync(fd);
  } catch (error) {
    discard(fd, tmp);
    throw error;
  }
  commit(fd, tmp, target);
}

function commit(fd: number, tmp: string, target: string): void {
  try {
    closeSync(fd);
    renameSync(tmp, target);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}

function discard(fd: number, tmp: string): void {
  try {
    closeSync(fd);
  } catch {}
  rmSync(tmp, { force: true });
}
