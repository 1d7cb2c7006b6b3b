import { existsSync, lstatSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { OpsService } from "../core/api/ops-service";
import { OpsError } from "../core/errors";
import type { ImportReport } from "../core/provlog/ingest";
import type { ByteSink } from "../core/provlog/timeline-export";
import { tempDirPerTest } from "../core/testing/temp-dir";
import { answerExport, answerImport, exportTimelineToFile, type FileDialogs, suggestedLogPath } from "./file-requests";

const REPORT: ImportReport = {
  lines: 10,
  events: 4,
  skipped: 5,
  malformed: 1,
  first_malformed: [{ line: 7, reason: "not JSON", event: null }],
  marshal_errors: 0,
  nul_lines: 0,
  workspaces: 2,
  bytes: 900,
  added: 3,
  duplicates: 1,
  bindings: 1,
  gzip: false,
};

/** The two file operations of OpsService, writing known bytes. */
function service(chunks: string[], fail?: Error): Pick<OpsService, "exportTimeline" | "importLog" | "secrets"> {
  return {
    secrets: () => ["adm-secret-1"],
    async exportTimeline(_input, sink: ByteSink) {
      for (const c of chunks) await sink(Buffer.from(c));
      if (fail) throw fail;
      return chunks.length;
    },
    async importLog(source) {
      if (source !== "/logs/platform.log") throw new OpsError("Input", `cannot read ${String(source)}`);
      return REPORT;
    },
  };
}

function dialogs(exportPath: string | null, logFile: string | null): FileDialogs {
  return { chooseExportPath: async () => exportPath, chooseLogFile: async () => logFile };
}

const INPUT = { filter: { workspaceId: "ws-1" }, format: "csv" as const };

const dir = tempDirPerTest("molecule-ops-export-");

describe("answerExport", () => {
  it("writes the export to the chosen file", async () => {
    const path = join(dir(), "timeline.csv");
    const answer = await answerExport(service(["ts,event\n", "1,a\n", "2,b\n"]), INPUT, dialogs(path, null));
    expect(answer).toEqual({ ok: true, result: { rows: 3, saved: true } });
    expect(readFileSync(path, "utf8")).toBe("ts,event\n1,a\n2,b\n");
    expect(readdirSync(dir())).toEqual(["timeline.csv"]);
  });

  it("writes the export 0600 whatever the umask, and replaces a link at the chosen name instead of writing through it", async () => {
    const path = join(dir(), "timeline.csv");
    const victim = join(dir(), "victim.txt");
    writeFileSync(victim, "untouched");
    symlinkSync(victim, path);
    const umask = process.umask(0o022);
    try {
      expect(await exportTimelineToFile(service(["ts,event\n"]), INPUT, path)).toBe(1);
    } finally {
      process.umask(umask);
    }
    expect(lstatSync(path).isSymbolicLink()).toBe(false);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(victim, "utf8")).toBe("untouched");
    expect(readdirSync(dir()).sort()).toEqual(["timeline.csv", "victim.txt"]);
  });

  it("saves nothing when the person cancels", async () => {
    expect(await answerExport(service(["x"]), INPUT, dialogs(null, null))).toEqual({
      ok: true,
      result: { rows: 0, saved: false },
    });
  });

  it("validates the input before asking anything", async () => {
    let asked = false;
    const d: FileDialogs = {
      chooseExportPath: async () => {
        asked = true;
        return join(dir(), "x");
      },
      chooseLogFile: async () => null,
    };
    const answer = await answerExport(service([]), { filter: {}, format: "xlsx" }, d);
    expect(answer.ok).toBe(false);
    expect(!answer.ok && answer.error.code).toBe("Input");
    expect(asked).toBe(false);
  });

  it("leaves no partial file behind when the export fails", async () => {
    const path = join(dir(), "timeline.csv");
    const answer = await answerExport(
      service(["ts,event\n"], new OpsError("Store", "the cache is locked")),
      INPUT,
      dialogs(path, null),
    );
    expect(answer).toEqual({ ok: false, error: { code: "Store", message: "the cache is locked" } });
    expect(readdirSync(dir())).toEqual([]);
  });

  it("names the file it could not write", async () => {
    const path = join(dir(), "missing-folder", "timeline.csv");
    const error = (await exportTimelineToFile(service(["x"]), INPUT, path).catch((e: unknown) => e)) as OpsError;
    expect(error.code).toBe("Input");
    expect(error.message).toBe(`could not save the export to ${path} (ENOENT)`);
    expect(existsSync(path)).toBe(false);
  });
});

describe("answerImport", () => {
  it("imports the chosen file and answers the API's report view", async () => {
    const answer = await answerImport(service([]), dialogs(null, "/logs/platform.log"));
    expect(answer).toEqual({
      ok: true,
      result: {
        lines: 10,
        events: 4,
        skipped: 5,
        malformed: 1,
        workspaces: 2,
        added: 3,
        duplicates: 1,
        bindings: 1,
        first_malformed: [{ line: 7, reason: "not JSON", event: null }],
      },
    });
  });

  it("only preselects a dropped file's path in the dialog", async () => {
    const offered: Array<string | undefined> = [];
    const d: FileDialogs = {
      chooseExportPath: async () => null,
      chooseLogFile: async (suggested) => {
        offered.push(suggested);
        return null;
      },
    };
    expect((await answerImport(service([]), d, "/home/me/platform.log")).ok).toBe(false);
    await answerImport(service([]), d, "relative/platform.log");
    await answerImport(service([]), d, { path: "/etc/passwd" });
    expect(offered).toEqual(["/home/me/platform.log", undefined, undefined]);
  });

  it("answers Cancelled when no file is chosen", async () => {
    expect(await answerImport(service([]), dialogs(null, null))).toEqual({
      ok: false,
      error: { code: "Cancelled", message: "no log file was chosen" },
    });
  });
});

describe("suggestedLogPath", () => {
  it("keeps only absolute, plain, bounded paths", () => {
    expect(suggestedLogPath("/var/log/platform.log.gz")).toBe("/var/log/platform.log.gz");
    for (const raw of [undefined, null, 7, "", "platform.log", "/x\0.log", `/${"a".repeat(5000)}`]) {
      expect(suggestedLogPath(raw)).toBeUndefined();
    }
  });
});
