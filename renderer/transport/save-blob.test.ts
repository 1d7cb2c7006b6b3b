import { describe, expect, it } from "vitest";
import { fileNameOf, safeFileName } from "./save-blob";

describe("file names", () => {
  it("reads the host's Content-Disposition", () => {
    expect(fileNameOf('attachment; filename="timeline-2026-11-29T21-05-54-114Z.csv"')).toBe(
      "timeline-2026-11-29T21-05-54-114Z.csv",
    );
    expect(fileNameOf("attachment; filename*=UTF-8''a%20b.jsonl")).toBe("a-b.jsonl");
    expect(fileNameOf(null)).toBeNull();
  });

  it("never lets a path or odd characters through", () => {
    expect(safeFileName("../../etc/passwd")).toBe("..-..-etc-passwd");
    expect(safeFileName("billing analyst: <1>")).toBe("billing-analyst-1");
    expect(safeFileName("///")).toBe("file");
  });
});
