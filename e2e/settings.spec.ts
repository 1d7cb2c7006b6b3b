import type { Page } from "@playwright/test";
import { expect, screenshot, test, workspaceGrid } from "./fixtures";
import { startOpsEnv } from "./ops-env";

/**
 * Adds a profile named `name` in Settings with everything to reach `sim`, its secrets typed in,
 * and saves it; returns the form.
 */
async function addProfile(page: Page, name: string, sim: { url: string; env: Record<string, string | undefined> }) {
  await page.getByRole("button", { name: "Add profile" }).click();
  const form = page.getByRole("form", { name: "Add a profile" });
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("Tenant URL").fill(sim.url);
  await form.getByLabel("Org id").fill(sim.env.MOLECULE_ORG_ID ?? "");
  await form.getByLabel(/Control plane URL/).fill(sim.url);
  await form.getByLabel("Admin token (ADMIN_TOKEN)").fill(sim.env.ADMIN_TOKEN ?? "");
  await form.getByLabel(/Provision secret/).fill(sim.env.MOLECULE_CP_SHARED_SECRET ?? "");
  await form.getByLabel(/Admin API token/).fill(sim.env.CP_ADMIN_API_TOKEN ?? "");
  await form.getByRole("button", { name: "Save profile" }).click();
  return form;
}

test.describe("settings", () => {
  test("profiles: add with secrets, test the connection, edit, remove; credential storage; themes", async ({
    app: page,
    ops,
  }) => {
    await page.getByRole("navigation", { name: "Screens" }).getByRole("button", { name: "Settings" }).click();
    const profiles = page.getByRole("table", { name: "Profiles" });
    await expect(profiles.getByRole("row", { name: /environment/ })).toContainText("from the environment");
    await expect(page.getByTestId("credential-kind")).toHaveText("credentials file");

    // Add: the secrets are typed once, stored by the host, and never shown again.
    const typed = ops.sim.env.MOLECULE_CP_SHARED_SECRET ?? "";
    const form = await addProfile(page, "e2e profile", ops.sim);
    await expect(form).toBeHidden();
    const row = profiles.getByRole("row", { name: /e2e profile/ });
    await expect(row).toContainText("stored");

    await row.getByRole("button", { name: "Test connection" }).click();
    await expect(page.getByTestId("profile-test-result")).toContainText(
      /e2e profile: tenant OK \(\d+ workspaces\), control plane OK/,
    );
    await screenshot(page, "settings");

    // Edit keeps the stored secrets when the fields stay empty.
    await row.getByRole("button", { name: "Edit" }).click();
    const edit = page.getByRole("form", { name: "Edit profile e2e profile" });
    for (const field of await edit.locator('input[type="password"]').all()) await expect(field).toHaveValue("");
    await edit.getByLabel("Org id").fill("org-renamed");
    await edit.getByRole("button", { name: "Save profile" }).click();
    await expect(row).toContainText("org-renamed");
    await expect(row).toContainText("stored");
    expect(await page.content()).not.toContain(typed);

    await row.getByRole("button", { name: "Remove" }).click();
    await page
      .getByRole("dialog", { name: "Remove the profile e2e profile?" })
      .getByRole("button", { name: "Remove profile" })
      .click();
    await expect(row).toBeHidden();

    // Themes: dark and light by the setting (persisted by the host), system by the OS.
    await page.getByRole("radio", { name: "Dark" }).check();
    await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
    await screenshot(page, "settings-dark");
    await page.getByRole("radio", { name: "Light" }).check();
    await expect(page.locator("html")).toHaveAttribute("data-theme", "light");
    await page.getByRole("radio", { name: "System" }).check();
    await expect(page.locator("html")).not.toHaveAttribute("data-theme", /.+/);
  });

  test("first start without a profile: the list says what to do, and a profile added in Settings fills it", async ({
    page,
  }) => {
    const env = await startOpsEnv({ workspaces: 8, envProfile: false });
    try {
      await page.goto(env.url);
      const empty = page.getByRole("alert").filter({ hasText: "The workspace list could not be loaded" });
      await expect(empty).toContainText("no tenant profile yet");
      await empty.getByRole("button", { name: "Open Settings" }).click();
      await addProfile(page, "emulator", env.sim);
      await expect(page.getByRole("table", { name: "Profiles" }).getByRole("row", { name: /emulator/ })).toContainText(
        "active",
      );
      await page.getByRole("navigation", { name: "Screens" }).getByRole("button", { name: "Workspaces" }).click();
      const total = env.sim.state.workspaces().length;
      await expect(workspaceGrid(page)).toHaveAttribute("aria-rowcount", String(total + 1), { timeout: 20_000 });
      await expect(page.getByRole("status", { name: "Live status: live" })).toBeVisible({ timeout: 20_000 });
    } finally {
      await env.close();
    }
  });
});
