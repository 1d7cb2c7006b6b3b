import { describe, expect, it } from "vitest";
import { OpsError } from "../core/errors";
import { logUnexpected } from "./unexpected-error";

describe("logUnexpected", () => {
  it("logs a bug's cause with the secrets redacted", () => {
    const lines: string[] = [];
    logUnexpected("export", new TypeError("token adm-secret-123 is undefined"), ["adm-secret-123"], (l) =>
      lines.push(l),
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^molecule-ops: unexpected error in export: TypeError: token /);
    expect(lines[0]).not.toContain("adm-secret-123");
  });

  it("leaves OpsErrors, whose safe message the renderer already has, out of the log", () => {
    const lines: string[] = [];
    logUnexpected("invoke", new OpsError("Upstream", "503"), [], (l) => lines.push(l));
    expect(lines).toEqual([]);
  });
});
