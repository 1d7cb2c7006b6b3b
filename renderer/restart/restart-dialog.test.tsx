// @vitest-environment happy-dom
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { useState } from "react";
import { describe, expect, test, vi } from "vitest";
import type { WorkspaceView } from "../../core/api/views";
import { renderInApp } from "../testkit/dom";
import { NOW, profile, workspace } from "../testkit/fixtures";
import { MemoryOpsClient } from "../testkit/memory-ops-client";
import { RestartDialog } from "./restart-dialog";

/** Long enough for any grace period before the request goes out. */
const AFTER_GRACE_MS = 10_000;

/** The dialog as the app opens it: over a button named Restart, closed by its onClose. */
function Opened({ workspace: w }: { workspace: WorkspaceView }) {
  const [open, setOpen] = useState(true);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        Restart
      </button>
      {open && <RestartDialog workspace={w} onClose={() => setOpen(false)} />}
    </>
  );
}

function open(w: WorkspaceView, client = new MemoryOpsClient({ profiles: [profile("prod")], workspaces: [w] })) {
  const opener = document.createElement("button");
  document.body.append(opener);
  opener.focus();
  const rendered = renderInApp(<Opened workspace={w} />, client);
  return { ...rendered, opener };
}

function dialog(name: string) {
  return screen.getByRole("dialog", { name });
}

function radio(d: HTMLElement, method: "tenant" | "cp") {
  return within(d).getByRole("radio", { name: new RegExp(`^${method}`) }) as HTMLInputElement;
}

/**
 * The time before the request goes out runs on timers: fake them, still ticking (Testing Library
 * waits on a timer after each event), and jump past it with advanceTimersByTimeAsync.
 */
function fakeTimers() {
  vi.useFakeTimers({ now: NOW, shouldAdvanceTime: true });
}

async function profilesLoaded(client: MemoryOpsClient) {
  await waitFor(() => expect(client.callsOf("profiles.list").length).toBeGreaterThan(0));
  await new Promise((resolve) => setTimeout(resolve, 0));
}

describe("restart dialog", () => {
  test("says which workspace, how it is now, and the method; tenant is the default", async () => {
    const { client } = open(workspace("ws-alpha"));
    await profilesLoaded(client);
    const d = dialog("Restart alpha?");
    expect(within(d).getByTestId("restart-summary").textContent).toBe(
      "Restart workspace alpha (ws-alpha) via tenant (tenant platform).",
    );
    expect(within(d).getByText(/^Now/).textContent).toBe("Now online on instance i-alpha, hermes, tier 2.");
    expect(within(d).getByRole("group", { name: "Method" })).toBeDefined();
    expect(radio(d, "tenant").checked).toBe(true);
    expect(radio(d, "cp").disabled).toBe(false);
    expect(within(d).queryByTestId("restart-cp-blocked")).toBeNull();
    // The app behind a modal is hidden from assistive technology.
    expect(document.getElementById("app")?.getAttribute("aria-hidden")).toBe("true");
  });

  test("loading: before the profile is known, cp is offered (the host refuses it if there is no CP)", () => {
    const client = new MemoryOpsClient({ profiles: [profile("prod", { cpUrl: null })] });
    client.hold("profiles.list");
    open(workspace("ws-alpha"), client);
    const d = dialog("Restart alpha?");
    expect(radio(d, "cp").disabled).toBe(false);
    expect(within(d).queryByTestId("restart-cp-blocked")).toBeNull();
  });

  test("error: profiles that cannot be read leave cp offered, as before they load", async () => {
    const client = new MemoryOpsClient({ profiles: [profile("prod", { cpUrl: null })] });
    client.fail("profiles.list", "Internal", "the credential store is locked");
    open(workspace("ws-alpha"), client);
    await profilesLoaded(client);
    const d = dialog("Restart alpha?");
    expect(radio(d, "cp").disabled).toBe(false);
    expect(within(d).queryByRole("alert")).toBeNull();
  });

  test("a profile without a control plane: cp is disabled and says why", async () => {
    const client = new MemoryOpsClient({ profiles: [profile("prod", { cpUrl: null })] });
    open(workspace("ws-alpha"), client);
    const d = dialog("Restart alpha?");
    expect(await within(d).findByTestId("restart-cp-blocked")).toHaveProperty(
      "textContent",
      " This profile has no control plane.",
    );
    expect(radio(d, "cp").disabled).toBe(true);
  });

  test("empty: a workspace with no name, instance, runtime or tier is named by its id, cp blocked", async () => {
    const { client } = open(workspace("ws-bare", { name: null, instanceId: null, runtime: null, tier: null }));
    await profilesLoaded(client);
    const d = dialog("Restart ws-bare?");
    expect(within(d).getByText(/^Now/).textContent).toBe("Now online on instance none on file.");
    expect(radio(d, "cp").disabled).toBe(true);
    expect(within(d).getByTestId("restart-cp-blocked").textContent).toContain(
      "No instance on file: the tenant API never says which instance a workspace runs on.",
    );
  });

  test("an external workspace has no instance: its operator runs it", async () => {
    const { client } = open(workspace("ws-ext", { instanceId: null, runtime: "external" }));
    await profilesLoaded(client);
    expect(within(dialog("Restart ext?")).getByTestId("restart-cp-blocked").textContent).toContain(
      "an external workspace is run by its operator",
    );
  });

  test("stale: an instance on file from before the last re-provisioning blocks cp", async () => {
    const { client } = open(workspace("ws-old", { instanceCurrent: false }));
    await profilesLoaded(client);
    const d = dialog("Restart old?");
    expect(radio(d, "cp").disabled).toBe(true);
    expect(within(d).getByTestId("restart-cp-blocked").textContent).toContain(
      "The instance on file predates the tenant's last re-provisioning",
    );
  });

  test("keyboard: arrows choose the method, Tab reaches Cancel then Restart, Enter confirms via cp", async () => {
    const w = workspace("ws-kbd");
    const { client, user, opener } = open(w);
    await profilesLoaded(client);
    const d = dialog("Restart kbd?");
    radio(d, "tenant").focus();
    await user.keyboard("{ArrowDown}");
    expect(radio(d, "cp").checked).toBe(true);
    expect(document.activeElement).toBe(radio(d, "cp"));
    expect(within(d).getByTestId("restart-summary").textContent).toBe(
      "Restart workspace kbd (ws-kbd) via cp (control plane).",
    );
    await user.tab();
    expect(document.activeElement).toBe(within(d).getByRole("button", { name: "Cancel" }));
    await user.tab();
    const confirm = within(d).getByRole("button", { name: "Restart" });
    expect(document.activeElement).toBe(confirm);

    fakeTimers();
    await user.keyboard("{Enter}");
    expect(screen.queryByRole("dialog")).toBeNull();
    // Focus goes back to where it was before the dialog opened.
    expect(document.activeElement).toBe(opener);
    await vi.advanceTimersByTimeAsync(AFTER_GRACE_MS);
    expect(client.callsOf("restart.start")).toMatchObject([{ id: "ws-kbd", via: "cp" }]);
  });

  test("keyboard: with cp blocked the arrows stay on tenant", async () => {
    const { client, user } = open(workspace("ws-solo", { instanceId: null }));
    await profilesLoaded(client);
    const d = dialog("Restart solo?");
    radio(d, "tenant").focus();
    await user.keyboard("{ArrowDown}");
    expect(radio(d, "tenant").checked).toBe(true);
    expect(radio(d, "cp").checked).toBe(false);
  });

  test("Escape (the dialog's cancel) and the Cancel button close it with nothing sent", async () => {
    const { client, user } = open(workspace("ws-esc"));
    await profilesLoaded(client);
    fakeTimers();
    // A browser turns Escape on a modal <dialog> into a "cancel" event; happy-dom has no such key handling.
    fireEvent(dialog("Restart esc?"), new Event("cancel", { cancelable: true }));
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(document.getElementById("app")?.hasAttribute("aria-hidden")).toBe(false);

    await user.click(screen.getByRole("button", { name: "Restart" }));
    await user.click(within(dialog("Restart esc?")).getByRole("button", { name: "Cancel" }));
    expect(screen.queryByRole("dialog")).toBeNull();
    await vi.advanceTimersByTimeAsync(AFTER_GRACE_MS);
    expect(client.callsOf("restart.start")).toEqual([]);
  });

  test("the confirm button sends a tenant restart by default", async () => {
    const { client, user } = open(workspace("ws-click"));
    await profilesLoaded(client);
    fakeTimers();
    await user.click(within(dialog("Restart click?")).getByRole("button", { name: "Restart" }));
    await vi.advanceTimersByTimeAsync(AFTER_GRACE_MS);
    expect(client.callsOf("restart.start")).toMatchObject([{ id: "ws-click", via: "tenant" }]);
  });
});
