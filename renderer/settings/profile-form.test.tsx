// @vitest-environment happy-dom
import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, test, vi } from "vitest";
import type { ProfileView } from "../../core/api/views";
import { renderInApp } from "../testkit/dom";
import { profile } from "../testkit/fixtures";
import { MemoryOpsClient } from "../testkit/memory-ops-client";
import { ProfileForm } from "./profile-form";
import { SettingsScreen } from "./settings-screen";

function form(editing: ProfileView | null = null, canStore = true, client = new MemoryOpsClient()) {
  const onDone = vi.fn();
  const rendered = renderInApp(<ProfileForm editing={editing} canStore={canStore} onDone={onDone} />, client);
  return { ...rendered, onDone };
}

const field = (name: string) => screen.getByRole("textbox", { name }) as HTMLInputElement;
const secret = (label: string) => screen.getByLabelText(label) as HTMLInputElement;

async function fillNew(user: ReturnType<typeof form>["user"], name = "staging") {
  await user.type(field("Name"), name);
  await user.type(field("Tenant URL"), "https://staging.example.com");
  await user.type(field("Org id"), "org-7");
}

describe("profile form", () => {
  test("empty: a new profile starts blank, every field reachable by Tab in reading order", async () => {
    const { user } = form();
    const f = screen.getByRole("form", { name: "Add a profile" });
    expect(within(f).getByRole("heading", { name: "Add a tenant profile" })).toBeDefined();
    for (const name of ["Name", "Tenant URL", "Org id", "Control plane URL (optional)"]) {
      expect(field(name).value).toBe("");
    }
    expect(within(f).getByRole("group", { name: "Secrets" })).toHaveProperty("disabled", false);
    const order = [
      field("Name"),
      field("Tenant URL"),
      field("Org id"),
      field("Control plane URL (optional)"),
      secret("Admin token (ADMIN_TOKEN)"),
      secret("Provision secret (MOLECULE_CP_SHARED_SECRET)"),
      secret("Admin API token (CP_ADMIN_API_TOKEN)"),
      within(f).getByRole("button", { name: "Cancel" }),
      within(f).getByRole("button", { name: "Save profile" }),
    ];
    field("Name").focus();
    for (const el of order.slice(1)) {
      await user.tab();
      expect(document.activeElement).toBe(el);
    }
  });

  test("keyboard: typed in and saved with Enter; secrets go to the host only when typed", async () => {
    const client = new MemoryOpsClient();
    const { user, onDone } = form(null, true, client);
    await fillNew(user, "  staging ");
    await user.type(field("Control plane URL (optional)"), "https://cp.example.com");
    await user.type(secret("Admin token (ADMIN_TOKEN)"), "tok-1");
    await user.keyboard("{Enter}");
    await waitFor(() => expect(onDone).toHaveBeenCalledOnce());
    expect(client.callsOf("profiles.save")).toEqual([
      {
        profile: {
          name: "staging",
          tenantUrl: "https://staging.example.com",
          orgId: "org-7",
          cpUrl: "https://cp.example.com",
        },
        secrets: { adminToken: "tok-1", provisionSecret: "", adminApiToken: "" },
      },
    ]);
    expect(secret("Admin token (ADMIN_TOKEN)").value).toBe("");
  });

  test("error: what the form can tell is said before anything is sent", async () => {
    const client = new MemoryOpsClient();
    const { user, onDone } = form(null, true, client);
    await fillNew(user, "bad/name");
    await user.keyboard("{Enter}");
    expect(screen.getByRole("alert").textContent).toBe(
      "The name must be 1–64 letters, digits, spaces, dots, dashes or underscores.",
    );
    await user.clear(field("Name"));
    await user.type(field("Name"), "fine");
    await user.clear(field("Tenant URL"));
    await user.type(field("Tenant URL"), "http://staging.example.com{Enter}");
    expect(screen.getByRole("alert").textContent).toBe(
      "The tenant URL must use https (plain http only to this machine: 127.0.0.1, ::1 or localhost).",
    );
    await user.clear(field("Tenant URL"));
    await user.type(field("Tenant URL"), "http://127.0.0.1:8080");
    await user.type(field("Control plane URL (optional)"), "https://user:pw@cp.example.com{Enter}");
    expect(screen.getByRole("alert").textContent).toBe(
      "The control plane URL must not contain credentials (user:password@).",
    );
    expect(client.callsOf("profiles.save")).toEqual([]);
    expect(onDone).not.toHaveBeenCalled();
  });

  test("error: the host's refusal is shown, and the form stays to be corrected", async () => {
    const client = new MemoryOpsClient();
    client.fail("profiles.save", "Conflict", "a profile named Staging already exists");
    const { user, onDone } = form(null, true, client);
    await fillNew(user);
    await user.click(screen.getByRole("button", { name: "Save profile" }));
    expect((await screen.findByRole("alert")).textContent).toBe("a profile named Staging already exists");
    expect(onDone).not.toHaveBeenCalled();
    expect(screen.getByRole("button", { name: "Save profile" })).toHaveProperty("disabled", false);
    expect(field("Name").value).toBe("staging");
  });

  test("loading: while the host saves, the button says so and cannot be pressed again", async () => {
    const client = new MemoryOpsClient();
    const held = client.hold("profiles.save");
    const { user, onDone } = form(null, true, client);
    await fillNew(user);
    await user.keyboard("{Enter}");
    const saving = await screen.findByRole("button", { name: "Saving…" });
    expect(saving).toHaveProperty("disabled", true);
    await user.keyboard("{Enter}");
    expect(client.callsOf("profiles.save")).toHaveLength(1);
    held.release();
    await waitFor(() => expect(onDone).toHaveBeenCalledOnce());
  });

  test("stale secrets: a changed URL says the stored secrets go with it, unless new ones are typed", async () => {
    const prod = profile("prod", { tenantUrl: "https://tenant.example.com", cpUrl: "https://cp.example.com" });
    const client = new MemoryOpsClient({ profiles: [prod] });
    const { user, onDone } = form(prod, true, client);
    const f = screen.getByRole("form", { name: "Edit profile prod" });
    expect(within(f).getByRole("heading", { name: "Edit prod" })).toBeDefined();
    expect(field("Name")).toHaveProperty("disabled", true);
    expect(within(f).getByText("(stored; leave empty to keep them)")).toBeDefined();
    expect(within(f).queryByRole("status")).toBeNull();

    // The same URL written differently is the same URL.
    await user.type(field("Tenant URL"), "/");
    expect(within(f).queryByRole("status")).toBeNull();

    await user.clear(field("Tenant URL"));
    await user.type(field("Tenant URL"), "https://tenant-2.example.com");
    expect(within(f).getByRole("status").textContent).toContain(
      "The stored secrets were entered for the old URL and are removed when this is saved.",
    );
    expect(within(f).getByRole("button", { name: "Save and remove secrets" })).toBeDefined();

    await user.type(secret("Provision secret (MOLECULE_CP_SHARED_SECRET)"), "s3cret");
    expect(within(f).queryByRole("status")).toBeNull();
    await user.clear(secret("Provision secret (MOLECULE_CP_SHARED_SECRET)"));
    await user.click(within(f).getByRole("button", { name: "Save and remove secrets" }));
    await waitFor(() => expect(onDone).toHaveBeenCalledOnce());
    expect(client.callsOf("profiles.save")).toEqual([
      {
        profile: {
          name: "prod",
          tenantUrl: "https://tenant-2.example.com",
          orgId: "org-1",
          cpUrl: "https://cp.example.com",
        },
      },
    ]);
  });

  test("a host that cannot store secrets disables them and says why", () => {
    form(null, false);
    expect(screen.getByRole("group", { name: "Secrets" })).toHaveProperty("disabled", true);
    expect(screen.getByText("This host cannot store secrets (see Credential storage).")).toBeDefined();
  });

  test("Cancel leaves without saving", async () => {
    const client = new MemoryOpsClient();
    const { user, onDone } = form(null, true, client);
    await fillNew(user);
    await user.click(screen.getByRole("button", { name: "Cancel" }));
    expect(onDone).toHaveBeenCalledOnce();
    expect(client.callsOf("profiles.save")).toEqual([]);
  });

  test("in Settings: Add profile opens the form, and a saved profile joins the list", async () => {
    const client = new MemoryOpsClient({ profiles: [profile("prod")] });
    const { user } = renderInApp(<SettingsScreen />, client);
    const list = await screen.findByRole("table", { name: "Profiles" });
    expect(within(list).getAllByRole("row")).toHaveLength(2);
    await user.click(screen.getByRole("button", { name: "Add profile" }));
    await fillNew(user);
    await user.keyboard("{Enter}");
    await waitFor(() => expect(screen.queryByRole("form", { name: "Add a profile" })).toBeNull());
    await waitFor(() => expect(within(list).getAllByRole("row")).toHaveLength(3));
    expect(within(list).getByText("staging")).toBeDefined();
  });
});
