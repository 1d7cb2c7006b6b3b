import { closeSync, existsSync, lstatSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fileMode, tempDirPerTest } from "../testing/temp-dir";
import {
  createPrivateFile,
  openPrivateAppend,
  replaceFile,
  replaceFileSync,
  tempPathFor,
  writeAll,
} from "./private-file";

// The usual umask of a login shell, under which files come out 0644 unless asked otherwise.
const dir = tempDirPerTest("private-file-", { umask: 0o022 });

describe.skipIf(process.platform === "win32")("private files", () => {
  it("creates a new file 0600 under umask 022", () => {
    const path = join(dir(), "new");
    closeSync(createPrivateFile(path));
    expect(fileMode(path)).toBe(0o600);
  });

  it("does not write into a regular file planted at the name", () => {
    const path = join(dir(), "planted");
    writeFileSync(path, "the attacker's", { mode: 0o666 });
    expect(() => createPrivateFile(path)).toThrow(expect.objectContaining({ code: "EEXIST" }));
    expect(readFileSync(path, "utf8")).toBe("the attacker's");
  });

  it("does not follow a symlink planted at the name, even a dangling one", () => {
    const target = join(dir(), "target");
    writeFileSync(target, "untouched");
    const link = join(dir(), "link");
    symlinkSync(target, link);
    expect(() => createPrivateFile(link)).toThrow(expect.objectContaining({ code: "EEXIST" }));
    expect(readFileSync(target, "utf8")).toBe("untouched");
    const dangling = join(dir(), "dangling");
    symlinkSync(join(dir(), "would-be-created"), dangling);
    expect(() => createPrivateFile(dangling)).toThrow(expect.objectContaining({ code: "EEXIST" }));
    expect(existsSync(join(dir(), "would-be-created"))).toBe(false);
  });

  it("names temp files at random, beside the target", () => {
    const a = tempPathFor(join(dir(), "out.csv"));
    const b = tempPathFor(join(dir(), "out.csv"));
    expect(a).not.toBe(b);
    expect(a.startsWith(join(dir(), "out.csv."))).toBe(true);
    expect(a).not.toContain(String(process.pid));
  });

  it("replaces a target 0600 (from 0644) and leaves no temp file", () => {
    const target = join(dir(), "creds.json");
    writeFileSync(target, "old", { mode: 0o644 });
    replaceFileSync(target, "new");
    expect(readFileSync(target, "utf8")).toBe("new");
    expect(fileMode(target)).toBe(0o600);
    expect(readdirSync(dir())).toEqual(["creds.json"]);
  });

  it("replaces a symlink at the target instead of writing through it", () => {
    const elsewhere = join(dir(), "elsewhere");
    writeFileSync(elsewhere, "untouched");
    const target = join(dir(), "export.jsonl");
    symlinkSync(elsewhere, target);
    replaceFileSync(target, "rows");
    expect(lstatSync(target).isSymbolicLink()).toBe(false);
    expect(readFileSync(target, "utf8")).toBe("rows");
    expect(readFileSync(elsewhere, "utf8")).toBe("untouched");
  });

  it("streams through an async writer, and a failed write leaves the target and no temp file", async () => {
    const target = join(dir(), "timeline.csv");
    await replaceFile(target, async (fd) => {
      writeAll(fd, "a,");
      await new Promise((r) => setTimeout(r, 1));
      writeAll(fd, Buffer.from("b\r\n"));
    });
    expect(readFileSync(target, "utf8")).toBe("a,b\r\n");
    expect(fileMode(target)).toBe(0o600);
    await expect(
      replaceFile(target, (fd) => {
        writeAll(fd, "partial");
        throw new Error("disk full");
      }),
    ).rejects.toThrow("disk full");
    expect(readFileSync(target, "utf8")).toBe("a,b\r\n");
    expect(readdirSync(dir())).toEqual(["timeline.csv"]);
  });

  it("opens a log for appending 0600, tightening an old one, never through a link", () => {
    const log = join(dir(), "app.log");
    writeFileSync(log, "old line\n", { mode: 0o644 });
    const fd = openPrivateAppend(log);
    writeAll(fd, "new line\n");
    closeSync(fd);
    expect(readFileSync(log, "utf8")).toBe("old line\nnew line\n");
    expect(fileMode(log)).toBe(0o600);
    const target = join(dir(), "target");
    writeFileSync(target, "untouched");
    symlinkSync(target, join(dir(), "linked.log"));
    expect(() => openPrivateAppend(join(dir(), "linked.log"))).toThrow(expect.objectContaining({ code: "ELOOP" }));
    expect(readFileSync(target, "utf8")).toBe("untouched");
  });

  it.skipIf(process.getuid?.() !== 0)("refuses a log file that belongs to another user (as root: chown)", async () => {
    const { chownSync } = await import("node:fs");
    const log = join(dir(), "theirs.log");
    writeFileSync(log, "", { mode: 0o600 });
    chownSync(log, 4242, 4242);
    expect(() => openPrivateAppend(log)).toThrow(/belongs to another user \(uid 4242\)/);
  });
});
