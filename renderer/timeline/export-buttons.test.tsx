// @vitest-environment happy-dom
import { screen, within } from "@testing-library/react";
import { describe, expect, test, vi } from "vitest";
import { renderInApp } from "../testkit/dom";
import { event } from "../testkit/fixtures";
import { MemoryOpsClient } from "../testkit/memory-ops-client";
import { ExportButtons } from "./export-buttons";

describe("export buttons", () => {
  test("CSV, JSONL and provlog, each asking the host for its format with the current filter", async () => {
    const client = new MemoryOpsClient({ events: [event("provision.start"), event("provision.ec2_started")] });
    const exported = vi.spyOn(client, "exportTimeline");
    const { user } = renderInApp(<ExportButtons filter={{ workspaceId: "ws-alpha" }} />, client);
    const group = screen.getByRole("group", { name: "Export" });
    expect(
      within(group)
        .getAllByRole("button")
        .map((b) => b.textContent),
    ).toEqual(["Export CSV", "Export JSONL", "Export provlog"]);
    await user.click(screen.getByRole("button", { name: "Export provlog" }));
    expect(await screen.findByText("Exported 2 rows as provlog.")).toBeDefined();
    expect(exported).toHaveBeenLastCalledWith({ filter: { workspaceId: "ws-alpha" }, format: "provlog" });
    await user.click(screen.getByRole("button", { name: "Export CSV" }));
    expect(await screen.findByText("Exported 2 rows as CSV.")).toBeDefined();
    expect(exported).toHaveBeenLastCalledWith({ filter: { workspaceId: "ws-alpha" }, format: "csv" });
  });
});
