// @vitest-environment happy-dom
import { act, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { ui } from "../app/ui-state";
import { renderInApp } from "../testkit/dom";
import { ago, manyWorkspaces, workspace } from "../testkit/fixtures";
import { MemoryOpsClient } from "../testkit/memory-ops-client";
import { WorkspacesScreen } from "./workspaces-screen";

function grid() {
  return screen.getByRole("grid", { name: "Workspaces" });
}

/** The data rows of the grid (the header row is the first row). */
function dataRows() {
  return within(grid()).getAllByRole("row").slice(1);
}

function names() {
  return dataRows().map((r) => within(r).getAllByRole("cell")[0]?.textContent);
}

function selectedName() {
  const row = dataRows().find((r) => r.getAttribute("aria-selected") === "true");
  return row ? within(row).getAllByRole("cell")[0]?.textContent : null;
}

/** Waits for the row of that name to be rendered and selected (a jump scrolls it in first). */
async function selected(name: string) {
  await waitFor(() => expect(selectedName()).toBe(name));
}

const THREE = [
  workspace("ws-charlie", { status: "failed", tier: 3 }),
  workspace("ws-alpha"),
  workspace("ws-bravo", { status: "degraded", runtime: "langgraph" }),
];

describe("workspace table and its screen", () => {
  test("loading: says it reads the local cache until the list arrives", async () => {
    const client = new MemoryOpsClient({ workspaces: THREE });
    const held = client.hold("workspaces.list");
    renderInApp(<WorkspacesScreen />, client);
    expect(screen.getByRole("status")).toHaveProperty(
      "textContent",
      expect.stringContaining("Loading workspaces from the local cache…"),
    );
    expect(screen.queryByRole("grid", { name: "Workspaces" })).toBeNull();
    held.release();
    expect(await screen.findByRole("grid", { name: "Workspaces" })).toBeDefined();
    expect(names()).toEqual(["alpha", "bravo", "charlie"]);
  });

  test("empty: an empty cache says why and what to do", async () => {
    renderInApp(<WorkspacesScreen />, new MemoryOpsClient({ workspaces: [] }));
    const empty = await screen.findByText("No workspaces in the cache yet");
    expect(empty.closest("[role=status]")?.textContent).toContain("press Shift+R to sync now");
    expect(screen.queryByRole("grid", { name: "Workspaces" })).toBeNull();
    expect(screen.getByText("0 workspaces")).toBeDefined();
  });

  test("empty after filtering: no row matches, and Clear filters brings them back", async () => {
    const { user } = renderInApp(<WorkspacesScreen />, new MemoryOpsClient({ workspaces: THREE }));
    await screen.findByRole("grid", { name: "Workspaces" });
    await user.type(screen.getByRole("searchbox", { name: "Filter workspaces by text" }), "nothing-like-it");
    expect(await screen.findByText("No workspace matches these filters")).toBeDefined();
    expect(dataRows()).toHaveLength(0);
    expect(screen.getByText("0 of 3")).toBeDefined();
    const clear = screen.getAllByRole("button", { name: "Clear filters" });
    await user.click(clear[clear.length - 1] as HTMLElement);
    expect(await screen.findByText("3 workspaces")).toBeDefined();
    expect(names()).toEqual(["alpha", "bravo", "charlie"]);
  });

  test("error: a list that cannot be loaded says so, with the code, the hint and a way to Settings", async () => {
    const client = new MemoryOpsClient({ workspaces: THREE });
    client.fail("workspaces.list", "Config", "no tenant profile is configured");
    const { user } = renderInApp(<WorkspacesScreen />, client);
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("The workspace list could not be loaded");
    expect(alert.textContent).toContain("Config no tenant profile is configured");
    expect(alert.textContent).toContain("Add or choose a tenant profile in Settings.");
    await user.click(within(alert).getByRole("button", { name: "Open Settings" }));
    expect(ui.get().screen).toBe("settings");
  });

  test("stale: stale and gone rows are tagged, and a failed refresh keeps the rows on screen", async () => {
    const client = new MemoryOpsClient({
      workspaces: [
        workspace("ws-alpha", { stale: true, asOf: ago(3 * 3600) }),
        workspace("ws-bravo", { gone: true }),
        workspace("ws-charlie"),
      ],
    });
    const { queryClient } = renderInApp(<WorkspacesScreen />, client);
    await screen.findByRole("grid", { name: "Workspaces" });
    const [alpha, bravo, charlie] = dataRows();
    const asOf = (row: HTMLElement | undefined) => within(row as HTMLElement).getAllByRole("cell")[5];
    expect(asOf(alpha)?.textContent).toBe("06:26:53stale");
    expect(asOf(alpha)?.getAttribute("title")).toBe("2026-03-14 06:26:53 (source: sync)");
    expect(asOf(bravo)?.textContent).toBe("09:25:53gone");
    expect(asOf(charlie)?.textContent).toBe("09:25:53");

    client.fail("workspaces.list", "HostUnreachable", "the host is not answering");
    await act(() => queryClient.invalidateQueries());
    expect(client.callsOf("workspaces.list").length).toBeGreaterThan(1);
    expect(names()).toEqual(["alpha", "bravo", "charlie"]);
    expect(screen.queryByRole("alert")).toBeNull();
  });

  test("cells: status badge, runtime, tier, instance, and a dash for what is not known", async () => {
    renderInApp(
      <WorkspacesScreen />,
      new MemoryOpsClient({
        workspaces: [workspace("ws-x", { name: null, runtime: null, tier: null, instanceId: null, status: "weird" })],
      }),
    );
    await screen.findByRole("grid", { name: "Workspaces" });
    const cells = within(dataRows()[0] as HTMLElement).getAllByRole("cell");
    expect(cells.map((c) => c.textContent)).toEqual(["ws-x", "weird", "—", "—", "—", "09:25:53"]);
  });

  test("keyboard: arrows, Home, End and page keys move the selection; Enter opens the console", async () => {
    const { user } = renderInApp(<WorkspacesScreen />, new MemoryOpsClient({ workspaces: manyWorkspaces(60) }));
    await screen.findByRole("grid", { name: "Workspaces" });
    grid().focus();
    await user.keyboard("{ArrowDown}");
    await selected("000");
    expect(grid().getAttribute("aria-activedescendant")).toBe("ws-row-ws-000");
    await user.keyboard("{ArrowDown}{ArrowDown}{ArrowUp}");
    await selected("001");
    // A page is the rows that fit in the grid's 600 px less one: (600 − 36) / 34 → 16 − 1.
    await user.keyboard("{PageDown}");
    await selected("016");
    await user.keyboard("{End}");
    await selected("059");
    expect(grid().getAttribute("aria-activedescendant")).toBe("ws-row-ws-059");
    await user.keyboard("{ArrowDown}");
    await selected("059");
    await user.keyboard("{PageUp}");
    await selected("044");
    await user.keyboard("{Home}");
    await selected("000");
    expect(ui.get().selectedId).toBe("ws-000");
    // With a modifier the keys are the browser's (or the app's shortcuts), not the grid's.
    await user.keyboard("{Control>}{End}{/Control}");
    await selected("000");

    await user.keyboard("{Enter}");
    expect(ui.get()).toMatchObject({ selectedId: "ws-000", detailTab: "console" });
    expect(screen.getByRole("region", { name: "Workspace detail" })).toBeDefined();
  });

  test("keyboard: the filter box narrows the rows, Escape clears it, Enter and ArrowDown go to the grid", async () => {
    const { user } = renderInApp(<WorkspacesScreen />, new MemoryOpsClient({ workspaces: THREE }));
    await screen.findByRole("grid", { name: "Workspaces" });
    const filter = screen.getByRole("searchbox", { name: "Filter workspaces by text" });
    await user.click(filter);
    await user.keyboard("brav");
    expect(await screen.findByText("1 of 3")).toBeDefined();
    expect(names()).toEqual(["bravo"]);
    await user.keyboard("{Escape}");
    expect(await screen.findByText("3 workspaces")).toBeDefined();
    await user.keyboard("{Enter}");
    expect(document.activeElement).toBe(grid());
    await user.keyboard("{ArrowDown}{ArrowDown}");
    expect(selectedName()).toBe("bravo");
    filter.focus();
    await user.keyboard("{ArrowDown}");
    expect(document.activeElement).toBe(grid());
  });

  test("the status, runtime and tier choices narrow the rows; statuses count their workspaces", async () => {
    const { user } = renderInApp(<WorkspacesScreen />, new MemoryOpsClient({ workspaces: THREE }));
    await screen.findByRole("grid", { name: "Workspaces" });
    const status = screen.getByRole("combobox", { name: "Status" });
    expect(within(status).getByRole("option", { name: "degraded (1)" })).toBeDefined();
    await user.selectOptions(status, "degraded");
    expect(await screen.findByText("1 of 3")).toBeDefined();
    expect(names()).toEqual(["bravo"]);
    await user.selectOptions(status, "");
    await user.selectOptions(screen.getByRole("combobox", { name: "Runtime" }), "hermes");
    expect(await screen.findByText("2 of 3")).toBeDefined();
    await user.selectOptions(screen.getByRole("combobox", { name: "Tier" }), "Tier 3");
    expect(await screen.findByText("1 of 3")).toBeDefined();
    expect(names()).toEqual(["charlie"]);
  });

  test("sorting: a column header button sorts by it, again the other way, and says so in aria-sort", async () => {
    const { user } = renderInApp(<WorkspacesScreen />, new MemoryOpsClient({ workspaces: THREE }));
    await screen.findByRole("grid", { name: "Workspaces" });
    const header = (name: string) => screen.getByRole("columnheader", { name });
    expect(header("Name").getAttribute("aria-sort")).toBe("ascending");
    await user.click(screen.getByRole("button", { name: "Name" }));
    expect(header("Name").getAttribute("aria-sort")).toBe("descending");
    expect(names()).toEqual(["charlie", "bravo", "alpha"]);
    await user.click(screen.getByRole("button", { name: "Tier" }));
    expect(header("Tier").getAttribute("aria-sort")).toBe("ascending");
    expect(header("Name").getAttribute("aria-sort")).toBe("none");
    expect(names()).toEqual(["alpha", "bravo", "charlie"]);
  });

  test("mouse: a click selects a row, a double click opens its console", async () => {
    const { user } = renderInApp(<WorkspacesScreen />, new MemoryOpsClient({ workspaces: THREE }));
    await screen.findByRole("grid", { name: "Workspaces" });
    await user.click(within(dataRows()[1] as HTMLElement).getAllByRole("cell")[0] as HTMLElement);
    expect(ui.get()).toMatchObject({ selectedId: "ws-bravo", detailTab: "overview" });
    await user.dblClick(within(dataRows()[2] as HTMLElement).getAllByRole("cell")[0] as HTMLElement);
    expect(ui.get()).toMatchObject({ selectedId: "ws-charlie", detailTab: "console" });
  });
});
