// @vitest-environment happy-dom
import { act, screen, within } from "@testing-library/react";
import { describe, expect, test, vi } from "vitest";
import { renderInApp } from "../testkit/dom";
import { ago, consoleView, NOW } from "../testkit/fixtures";
import { MemoryOpsClient } from "../testkit/memory-ops-client";
import { ConsoleViewer } from "./console-viewer";

const BOOT = [
  "[    0.000000] Linux version 6.1.0",
  "cloud-init[812]: running modules for config",
  "cloud-init[812]: running modules for final",
  "RUNTIME CRASHED: exit status 1",
  "Traceback (most recent call last):",
  '  File "/app/main.py", line 3, in <module>',
  "ValueError: bad config",
  "cloud-init[812]: finished",
].join("\n");

function viewer(client: MemoryOpsClient) {
  return renderInApp(<ConsoleViewer id="ws-alpha" label="alpha" />, client);
}

function region() {
  return screen.getByRole("region", { name: "Serial console" });
}

function count() {
  return within(region()).getByTestId("console-match-count").textContent;
}

async function output() {
  return within(region()).findByRole("log", { name: "Console output" });
}

describe("console viewer", () => {
  test("loading: says it reads the console through the control plane, then shows its lines and when it was fetched", async () => {
    const client = new MemoryOpsClient({ consoles: { "ws-alpha": consoleView(BOOT) } });
    const held = client.hold("console.read");
    viewer(client);
    const loading = within(region()).getByText("Reading the serial console through the control plane…");
    expect(loading.closest("[role=status]")).not.toBeNull();
    expect(within(region()).getByText("Not fetched yet")).toBeDefined();
    expect(within(region()).getByRole("button", { name: "Download" })).toHaveProperty("disabled", true);
    held.release();
    expect((await output()).dataset.lines).toBe("8");
    expect(within(region()).getByTestId("console-fetched").textContent).toBe(
      "Fetched 09:26:51.589 · 279 B · 8 lines · i-alpha",
    );
    expect(within(region()).getByRole("button", { name: "Download" })).toHaveProperty("disabled", false);
  });

  test("empty: a console with nothing printed yet says so and how to watch it", async () => {
    viewer(new MemoryOpsClient({ consoles: { "ws-alpha": consoleView("") } }));
    const empty = await within(region()).findByText("The console is empty so far");
    expect(empty.closest("[role=status]")?.textContent).toContain("turn on Follow to watch it arrive");
    expect(within(region()).queryByRole("log", { name: "Console output" })).toBeNull();
    expect(within(region()).queryByRole("button", { name: "Jump to crash" })).toBeNull();
  });

  test("error: a console that cannot be read says why, and offers the cached copy, which says it is one", async () => {
    const client = new MemoryOpsClient({
      consoles: { "ws-alpha": consoleView(BOOT) },
      cachedConsoles: { "ws-alpha": consoleView("cached boot log\n", { cached: true, fetchedAt: ago(7200) }) },
    });
    client.fail("console.read", "Upstream", "the control plane answered 502", (input) => !input.cached);
    const { user } = viewer(client);
    const alert = await within(region()).findByRole("alert");
    expect(alert.textContent).toContain("The console could not be read");
    expect(alert.textContent).toContain("Upstream the control plane answered 502");
    await user.click(within(alert).getByRole("button", { name: "Show the cached console" }));
    expect((await output()).textContent).toContain("cached boot log");
    expect(within(region()).getByTestId("console-fetched").textContent).toBe(
      "Cached copy from 07:26:53.589 · 16 B · 1 lines · i-alpha",
    );
    // Follow makes no sense for a copy: it is off and cannot be turned on.
    expect(within(region()).getByRole("checkbox", { name: "Follow" })).toHaveProperty("disabled", true);
    client.recover("console.read");
    await user.click(within(region()).getByRole("button", { name: "Back to the live console" }));
    expect((await output()).dataset.lines).toBe("8");
    expect(client.callsOf("console.read").at(-1)).toEqual({ id: "ws-alpha" });
  });

  test("stale: a failed refresh keeps the last fetch on screen, says so, and is stamped in the history", async () => {
    const client = new MemoryOpsClient({ consoles: { "ws-alpha": consoleView(BOOT) } });
    const { user } = viewer(client);
    await output();
    client.fail("console.read", "Timeout", "the control plane did not answer in 10 s");
    vi.setSystemTime(NOW + 12_000);
    await user.click(within(region()).getByRole("button", { name: "Refresh" }));
    const alert = await within(region()).findByRole("alert");
    expect(alert.textContent).toContain("The last refresh failed; showing the previous fetch");
    expect((await output()).dataset.lines).toBe("8");
    await user.click(within(region()).getByText("Fetch history (2)"));
    const stamps = within(region())
      .getAllByRole("listitem")
      .map((li) => li.textContent);
    expect(stamps).toEqual(["09:27:05.589 failed: the control plane did not answer in 10 s", "09:26:51.589 279 B"]);
  });

  test("a refresh that finds more output says how much it grew", async () => {
    const client = new MemoryOpsClient({ consoles: { "ws-alpha": consoleView("boot\n", { fetchedAt: ago(5) }) } });
    const { user } = viewer(client);
    await output();
    client.world.consoles["ws-alpha"] = consoleView("boot\nmore\n", { fetchedAt: ago(-4) });
    vi.setSystemTime(NOW + 4000);
    await user.click(within(region()).getByRole("button", { name: "Refresh" }));
    await within(region()).findByText("Fetch history (2)");
    expect(
      within(region())
        .getAllByRole("listitem")
        .map((li) => li.textContent),
    ).toEqual(["09:26:57.589 10 B (+5 B)", "09:26:48.589 5 B"]);
  });

  test("keyboard: search counts matches; Enter and Shift+Enter step through them, wrapping; Escape clears", async () => {
    const { user } = viewer(new MemoryOpsClient({ consoles: { "ws-alpha": consoleView(BOOT) } }));
    await output();
    const search = within(region()).getByRole("searchbox", { name: "Search console" });
    await user.click(search);
    await user.keyboard("cloud-init");
    expect(count()).toBe("1 of 3");
    const current = () => region().querySelector(".hit--current")?.closest("[data-line]")?.getAttribute("data-line");
    expect(current()).toBe("2");
    await user.keyboard("{Enter}");
    expect(count()).toBe("2 of 3");
    expect(current()).toBe("3");
    await user.keyboard("{Enter}{Enter}");
    expect(count()).toBe("1 of 3");
    await user.keyboard("{Shift>}{Enter}{/Shift}");
    expect(count()).toBe("3 of 3");
    expect(current()).toBe("8");
    await user.click(within(region()).getByRole("button", { name: "Previous match" }));
    expect(count()).toBe("2 of 3");
    await user.click(within(region()).getByRole("button", { name: "Next match" }));
    expect(count()).toBe("3 of 3");

    // Match case: the toggle is a checkbox reached by Tab and flipped by Space.
    await user.clear(search);
    await user.keyboard("CLOUD");
    expect(count()).toBe("1 of 3");
    await user.tab();
    expect(document.activeElement).toBe(within(region()).getByRole("checkbox", { name: "Aa" }));
    await user.keyboard(" ");
    expect(count()).toBe("No matches");
    expect(within(region()).getByRole("button", { name: "Next match" })).toHaveProperty("disabled", true);

    search.focus();
    await user.keyboard("{Escape}");
    expect(search).toHaveProperty("value", "");
    expect(count()).toBe("");
  });

  test("Jump to crash searches for the crash line; the crash and its traceback are marked", async () => {
    const { user } = viewer(new MemoryOpsClient({ consoles: { "ws-alpha": consoleView(BOOT) } }));
    const log = await output();
    expect([...log.querySelectorAll(".cl--crash")].map((l) => l.getAttribute("data-line"))).toEqual(["4"]);
    expect(log.querySelectorAll(".cl--traceback").length).toBeGreaterThan(0);
    await user.click(within(region()).getByRole("button", { name: "Jump to crash" }));
    expect(within(region()).getByRole("searchbox", { name: "Search console" })).toHaveProperty(
      "value",
      "RUNTIME CRASHED",
    );
    expect(count()).toBe("1 of 1");
    expect(log.querySelector(".hit--current")?.textContent).toBe("RUNTIME CRASHED");
  });

  test("follow, interval and wrap: the toolbar's controls say what they do", async () => {
    const { user } = viewer(new MemoryOpsClient({ consoles: { "ws-alpha": consoleView(BOOT) } }));
    const log = await output();
    const toolbar = within(region()).getByRole("toolbar", { name: "Console controls" });
    await user.click(within(toolbar).getByRole("checkbox", { name: "Follow" }));
    expect(within(region()).getByTestId("console-fetched").textContent).toContain("· following every 5 s");
    await user.selectOptions(within(toolbar).getByRole("combobox", { name: "Refresh interval" }), "every 2 s");
    expect(within(region()).getByTestId("console-fetched").textContent).toContain("· following every 2 s");
    await user.click(within(toolbar).getByRole("checkbox", { name: "Follow" }));
    expect(within(region()).getByTestId("console-fetched").textContent).not.toContain("following");
    await act(async () => {
      await user.click(within(toolbar).getByRole("checkbox", { name: "Wrap lines" }));
    });
    expect(log.className).toContain("console__output--wrap");
  });
});
