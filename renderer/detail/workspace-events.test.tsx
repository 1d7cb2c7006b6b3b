// @vitest-environment happy-dom
import { screen, within } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { ui } from "../app/ui-state";
import { renderInApp } from "../testkit/dom";
import { ago, event } from "../testkit/fixtures";
import { MemoryOpsClient } from "../testkit/memory-ops-client";
import { WorkspaceEvents } from "./workspace-events";

describe("the detail's Events tab", () => {
  test("loading, then the workspace's events newest first, in the Timeline's row markup less where", async () => {
    const client = new MemoryOpsClient({
      events: [
        event("provision.start", { ts: ago(7200) }),
        event("WORKSPACE_ONLINE", { ts: ago(600), fields: '{"status":"online"}', source: "ws" }),
        event("WORKSPACE_ONLINE", { workspaceId: "ws-other" }),
      ],
    });
    const held = client.hold("timeline.list");
    renderInApp(<WorkspaceEvents id="ws-alpha" />, client);
    expect(screen.getByText("Loading events…").closest("[role=status]")).not.toBeNull();
    held.release();
    const table = await screen.findByRole("table", { name: "Workspace events" });
    expect(
      within(table)
        .getAllByRole("columnheader")
        .map((h) => h.textContent),
    ).toEqual(["Time", "Event", "Source", "Fields"]);
    const rows = within(table)
      .getAllByRole("row")
      .slice(1)
      .map((r) =>
        within(r)
          .getAllByRole("cell")
          .map((c) => c.textContent),
      );
    expect(rows).toEqual([
      ["2026-03-14 09:16:53", "WORKSPACE_ONLINE", "ws", '{"status":"online"}'],
      ["2026-03-14 07:26:53", "provision.start", "tenant", "{}"],
    ]);
    expect(screen.getByText(/^2 events, newest first\./)).toBeDefined();
  });

  test("empty and error", async () => {
    renderInApp(<WorkspaceEvents id="ws-quiet" />, new MemoryOpsClient());
    expect(await screen.findByText("No events for this workspace yet")).toBeDefined();
    const failing = new MemoryOpsClient();
    failing.fail("timeline.list", "Input", "bad filter");
    renderInApp(<WorkspaceEvents id="ws-alpha" />, failing);
    expect((await screen.findByRole("alert")).textContent).toContain("The events could not be loaded");
  });

  test("Open in Timeline goes to the Timeline filtered to the workspace", async () => {
    const { user } = renderInApp(<WorkspaceEvents id="ws-alpha" />, new MemoryOpsClient());
    await user.click(await screen.findByRole("button", { name: "Open in Timeline" }));
    expect(ui.get()).toMatchObject({ screen: "timeline", timelineFilter: { workspaceId: "ws-alpha" } });
  });
});
