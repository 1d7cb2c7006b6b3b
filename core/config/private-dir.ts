import { chmodSync, mkdirSync, statSync } from "node:fs";
import { userInfo } from "node:os";
import { OpsError } from "../errors";

/** What a directory's owner and mode must be for the cache, the credentials and the logs to live in it. */
export interface DirFacts {
  isDirectory: boolean;
  uid: number;
  mode: number;
}

/** Said instead of a check where the file system has no owner and mode bits to check. */
export const UNCHECKED_ON_WINDOWS =
  "not checked: Windows has no POSIX owner and mode bits; keep the folder inside your own profile";

/**
 * Why `dir` must not hold private files, with the command that fixes it; null when it may.
 * Issue 14: on a shared jump box a folder another user owns, or may write to, lets them swap the
 * cache or the credentials file for their own, or plant a link where ours will be written.
 */
export function refusalOf(dir: string, facts: DirFacts, me: { uid: number; name: string }): string | null {
  if (!facts.isDirectory) return `${dir} is not a directory; move it away or choose another folder`;
  if (facts.uid !== me.uid) {
    return `refusing to use ${dir}: it belongs to another user (uid ${facts.uid}), not to you (${me.name}); use a folder of your own (MOLECULE_OPS_HOME, --db) or run: sudo chown ${me.name} ${shellWord(dir)}`;
  }
  const mode = facts.mode & 0o7777;
  const shown = mode.toString(8).padStart(4, "0");
  // /tmp and its like: shared on purpose, so chmod is not the fix.
  if ((mode & 0o1002) === 0o1002) {
    return `refusing to use ${dir}: it is a folder shared with every user (mode ${shown}); choose a folder of your own (MOLECULE_OPS_HOME, --db) or make one: mkdir -m 700 ${shellWord(`${dir}/molecule-ops`)}`;
  }
  if ((mode & 0o022) !== 0) {
    return `refusing to use ${dir}: group or others may write to it (mode ${shown}), so they could replace the files in it; run: chmod 700 ${shellWord(dir)}`;
  }
  return null;
}

/**
 * Creates `dir` (and missing parents) 0700, whatever the umask, or checks the one that is there:
 * refused with an OpsError("Config") saying what to run, never silently used. Returns null once
 * checked, or UNCHECKED_ON_WINDOWS.
 */
export function ensurePrivateDir(dir: string, platform: NodeJS.Platform = process.platform): string | null {
  let created: string | undefined;
  try {
    created = mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? "error";
    throw new OpsError("Config", `cannot create the folder ${dir} (${code}); choose another one`, { cause });
  }
  if (platform === "win32") return UNCHECKED_ON_WINDOWS;
  // mkdir's mode is masked by the umask; a new folder is ours to set exactly.
  if (created !== undefined) chmodSync(dir, 0o700);
  // stat, not lstat: a data folder reached through the user's own link is fine, and a link
  // to someone else's folder shows that folder's owner.
  const st = statSync(dir);
  const refusal = refusalOf(dir, { isDirectory: st.isDirectory(), uid: st.uid, mode: st.mode }, currentUser());
  if (refusal) throw new OpsError("Config", refusal);
  return null;
}

/** The uid and name a refusal's chown command should name. */
export function currentUser(): { uid: number; name: string } {
  const uid = process.getuid?.() ?? -1;
  let name = String(uid);
  try {
    name = userInfo().username;
  } catch {
    // A uid without a passwd entry (containers): the number is what chown takes then.
  }
  return { uid, name };
}

/** A path as one shell word, so the command in a refusal can be pasted as it is. */
export function shellWord(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}
