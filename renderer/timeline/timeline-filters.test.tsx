// @vitest-environment happy-dom
import { fireEvent, screen, within } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { ui } from "../app/ui-state";
import { renderInApp } from "../testkit/dom";
import { ago, event, workspace } from "../testkit/fixtures";
import { MemoryOpsClient } from "../testkit/memory-ops-client";
import { TimelineScreen } from "./timeline-screen";

const WORKSPACES = [workspace("ws-alpha"), workspace("ws-bravo")];
const EVENTS = [
  event("provision.start", { ts: ago(7200), workspaceId: "ws-alpha" }),
  event("WORKSPACE_DEGRADED", { ts: ago(1800), workspaceId: "ws-bravo", instanceId: "i-bravo" }),
  event("WORKSPACE_ONLINE", { ts: ago(600), workspaceId: "ws-alpha", fields: '{"status":"online"}' }),
];

function world() {
  return new MemoryOpsClient({ workspaces: WORKSPACES, events: EVENTS });
}

function filters() {
  return screen.getByRole("combobox", { name: "Workspace" }).closest("search") as HTMLElement;
}

/** The filter of the last timeline request. */
function lastFilter(client: MemoryOpsClient) {
  return client.callsOf("timeline.list").at(-1)?.filter;
}

async function eventCount(text: string) {
  return (await screen.findByText((_, el) => el?.matches(".timeline__summary") === true && el.textContent === text))
    .textContent;
}

function tableEvents() {
  const table = screen.getByRole("table", { name: "Timeline events" });
  return within(table)
    .getAllByRole("row")
    .slice(1)
    .map((r) => within(r).getAllByRole("cell")[1]?.textContent);
}

describe("timeline filters", () => {
  test("loading: the filters are there at once; the events say they are loading", async () => {
    const client = world();
    const held = client.hold("timeline.list");
    renderInApp(<TimelineScreen />, client);
    expect(screen.getByText("Loading the timeline from the cache…").closest("[role=status]")).not.toBeNull();
    expect(within(filters()).getByRole("button", { name: "Reset" })).toBeDefined();
    held.release();
    expect(await eventCount("3 events.")).toBeDefined();
    expect(tableEvents()).toEqual(["provision.start", "WORKSPACE_DEGRADED", "WORKSPACE_ONLINE"]);
    const table = screen.getByRole("table", { name: "Timeline events" });
    expect(
      within(table)
        .getAllByRole("columnheader")
        .map((h) => h.textContent),
    ).toEqual(["Time", "Event", "Workspace", "Instance", "Source", "Fields"]);
    expect(
      within(within(table).getAllByRole("row")[2] as HTMLElement)
        .getAllByRole("cell")
        .map((c) => c.textContent),
    ).toEqual(["2026-03-14 08:56:53", "WORKSPACE_DEGRADED", "bravo", "i-bravo", "tenant", "{}"]);
  });

  test("empty: no events under the filter says how to widen it", async () => {
    renderInApp(<TimelineScreen />, new MemoryOpsClient({ workspaces: WORKSPACES, events: [] }));
    const empty = await screen.findByText("No events match");
    expect(empty.closest("[role=status]")?.textContent).toContain("Widen the time range, clear the filters");
  });

  test("error: a timeline that cannot be loaded says so, and the filters stay usable", async () => {
    const client = world();
    client.fail("timeline.list", "Input", "until is before since");
    const { user } = renderInApp(<TimelineScreen />, client);
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("The timeline could not be loaded");
    expect(alert.textContent).toContain("Input until is before since");
    client.recover("timeline.list");
    await user.click(within(filters()).getByRole("button", { name: "24 h" }));
    expect(lastFilter(client)).toEqual({ since: "2026-03-13T09:26:53.589Z" });
    expect(await eventCount("3 events.")).toBeDefined();
    expect(screen.queryByRole("alert")).toBeNull();
  });

  test("stale: while a new filter loads, the events of the last one stay on screen", async () => {
    const client = world();
    const { user } = renderInApp(<TimelineScreen />, client);
    await eventCount("3 events.");
    const held = client.hold("timeline.list");
    await user.click(within(filters()).getByRole("checkbox", { name: "WORKSPACE_ONLINE" }));
    expect(lastFilter(client)).toEqual({ events: ["WORKSPACE_ONLINE"] });
    expect(screen.getByText("3 events.")).toBeDefined();
    expect(tableEvents()).toHaveLength(3);
    held.release();
    expect(await eventCount("1 events.")).toBeDefined();
    expect(tableEvents()).toEqual(["WORKSPACE_ONLINE"]);
  });

  test("keyboard: a workspace typed by name and Enter filters by its id; an impossible one is refused", async () => {
    const client = world();
    const { user } = renderInApp(<TimelineScreen />, client);
    await eventCount("3 events.");
    const field = within(filters()).getByRole("combobox", { name: "Workspace" });
    await user.click(field);
    await user.keyboard("alpha{Enter}");
    expect(lastFilter(client)).toEqual({ workspaceId: "ws-alpha" });
    expect(await eventCount("2 events.")).toBeDefined();

    await user.clear(field);
    await user.keyboard("not a workspace!{Enter}");
    expect(field.getAttribute("aria-invalid")).toBe("true");
    expect(within(filters()).getByText("not a workspace name or id")).toBeDefined();
    expect(ui.get().timelineFilter).toEqual({ workspaceId: "ws-alpha" });

    // An id the list does not know yet is taken as it is; leaving the field (Tab) applies it too.
    await user.clear(field);
    await user.keyboard("ws-charlie");
    await user.tab();
    expect(field.getAttribute("aria-invalid")).toBe("false");
    expect(ui.get().timelineFilter).toEqual({ workspaceId: "ws-charlie" });
    expect(await screen.findByText("No events match")).toBeDefined();

    await user.clear(field);
    await user.keyboard("{Enter}");
    expect(ui.get().timelineFilter).toEqual({});
  });

  test("keyboard: Tab goes through the filters in order, and Enter on a quick range applies it", async () => {
    const client = world();
    const { user } = renderInApp(<TimelineScreen />, client);
    await eventCount("3 events.");
    const f = within(filters());
    f.getByRole("combobox", { name: "Workspace" }).focus();
    await user.tab();
    expect(document.activeElement).toBe(f.getByLabelText("Since"));
    await user.tab();
    expect(document.activeElement).toBe(f.getByLabelText("Until"));
    await user.tab();
    expect(document.activeElement).toBe(f.getByRole("button", { name: "15 min" }));
    await user.tab();
    expect(document.activeElement).toBe(f.getByRole("button", { name: "1 h" }));
    await user.keyboard("{Enter}");
    // The clock is fixed: one hour before 09:26:53.589.
    expect(ui.get().timelineFilter).toEqual({ since: "2026-03-14T08:26:53.589Z" });
    expect(f.getByLabelText("Since")).toHaveProperty("value", "2026-03-14T08:26");
    expect(await eventCount("2 events.")).toBeDefined();
    await user.tab({ shift: true });
    await user.keyboard(" ");
    expect(ui.get().timelineFilter).toEqual({ since: "2026-03-14T09:11:53.589Z" });
    expect(await eventCount("1 events.")).toBeDefined();
  });

  test("since and until bound the request; the event types count in the summary; Space toggles one", async () => {
    const client = world();
    const { user } = renderInApp(<TimelineScreen />, client);
    await eventCount("3 events.");
    const f = within(filters());
    fireEvent.change(f.getByLabelText("Since"), { target: { value: "2026-03-14T07:00" } });
    fireEvent.change(f.getByLabelText("Until"), { target: { value: "2026-03-14T09:00" } });
    expect(lastFilter(client)).toEqual({ since: "2026-03-14T07:00:00.000Z", until: "2026-03-14T09:00:00.000Z" });
    expect(await eventCount("2 events.")).toBeDefined();

    expect(f.getByText("Events: all")).toBeDefined();
    f.getByRole("checkbox", { name: "WORKSPACE_DEGRADED" }).focus();
    await user.keyboard(" ");
    expect(f.getByText("Events (1)")).toBeDefined();
    expect(lastFilter(client)).toMatchObject({ events: ["WORKSPACE_DEGRADED"] });
    await user.keyboard(" ");
    expect(f.getByText("Events: all")).toBeDefined();
    expect(lastFilter(client)).not.toHaveProperty("events");
  });

  test("search narrows the loaded events without asking the host; Reset clears every filter", async () => {
    const client = world();
    const { user } = renderInApp(<TimelineScreen />, client);
    await eventCount("3 events.");
    const requests = client.callsOf("timeline.list").length;
    const f = within(filters());
    await user.type(f.getByRole("searchbox", { name: "Search events" }), "online");
    expect(await eventCount("1 events.")).toBeDefined();
    expect(client.callsOf("timeline.list")).toHaveLength(requests);

    await user.type(f.getByRole("combobox", { name: "Workspace" }), "bravo{Enter}");
    await user.click(f.getByRole("button", { name: "Reset" }));
    expect(f.getByRole("searchbox", { name: "Search events" })).toHaveProperty("value", "");
    expect(f.getByRole("combobox", { name: "Workspace" })).toHaveProperty("value", "");
    expect(ui.get().timelineFilter).toEqual({});
    expect(await eventCount("3 events.")).toBeDefined();
  });
});
