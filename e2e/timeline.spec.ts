import { appendFileSync, utimesSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "@playwright/test";
import { parse } from "csv-parse/sync";
import { expect, screenshot, test } from "./fixtures";

const LOG = [
  '2026/11/20 10:00:00 evt: provision.start {"workspace_id":"imp-ws-1","name":"imported-one","tier":2,"runtime":"codex","template":"t","sync":true}',
  "starting provisioner for imported-one",
  '2026/11/20 10:00:05 evt: provision.ec2_started {"workspace_id":"imp-ws-1","instance_id":"i-0123456789abcdef0","state":"pending","tier":2,"runtime":"codex"}',
  '127.0.0.1 - - [20/Nov/2026:10:00:06 +0000] "GET /health HTTP/1.1" 200 2',
  '2026/11/20 10:05:00 evt: restart.pre_stop {"workspace_id":"imp-ws-1","backend":"cp"}',
  '2026/11/20 10:05:01.250000 evt: provision.ec2_stopped {"workspace_id":"imp-ws-1","instance_id":"i-0123456789abcdef0"}',
  '2026/11/20 10:05:02 evt: provision.start {"workspace_id":"imp-ws-1","sync":tru',
  'evt: billing.custom_event {"workspace_id":"imp-ws-1","extra":"kept"}',
  "",
].join("\n");

const DROPPED = [
  '2026/11/21 08:00:00 evt: provision.start {"workspace_id":"imp-ws-2","name":"imported-two","sync":false}',
  '2026/11/21 08:00:04 evt: provision.ec2_started {"workspace_id":"imp-ws-2","instance_id":"i-0fedcba9876543210","state":"pending","tier":1,"runtime":"hermes"}',
  "",
].join("\r\n");

async function figure(page: Page, name: string) {
  return page.getByRole("status", { name: "Import report" }).locator(".figure").filter({ hasText: name }).locator("dd");
}

test.describe("timeline", () => {
  test("imports by picker and by drop with a report, shows swimlanes and a table, exports CSV and JSONL", async ({
    app: page,
  }) => {
    await page.getByRole("navigation", { name: "Screens" }).getByRole("button", { name: "Timeline" }).click();
    const importZone = page.getByRole("region", { name: "Import a log" });
    await expect(importZone).toBeVisible();

    // File picker: the report counts noise and the truncated line, with its line number.
    await importZone.getByLabel("Log file to import").setInputFiles({
      name: "provision.log",
      mimeType: "text/plain",
      buffer: Buffer.from(LOG),
    });
    const report = page.getByRole("status", { name: "Import report" });
    await expect(report).toContainText("provision.log");
    await expect(await figure(page, "lines")).toHaveText("8");
    await expect(await figure(page, "events")).toHaveText("5");
    await expect(await figure(page, "skipped")).toHaveText("2");
    await expect(await figure(page, "malformed")).toHaveText("1");
    await expect(await figure(page, "bindings")).toHaveText("2");
    await expect(report).toContainText("line 7: truncated JSON (provision.start)");

    // Drag and drop: a DataTransfer with a File, dropped on the zone.
    const dataTransfer = await page.evaluateHandle((text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], "dropped.log", { type: "text/plain" }));
      return dt;
    }, DROPPED);
    await importZone.dispatchEvent("dragover", { dataTransfer });
    await importZone.dispatchEvent("drop", { dataTransfer });
    await expect(report).toContainText("dropped.log");
    await expect(await figure(page, "events")).toHaveText("2");
    await expect(await figure(page, "added")).toHaveText("2");

    // Filter to the imported workspaces' window: lanes and table.
    await page.getByLabel("Since").fill("2026-11-20T09:00");
    await page.getByLabel("Until").fill("2026-11-21T09:00");
    const table = page.getByRole("table", { name: "Timeline events" });
    // Six timed events in the window (the untimed one has no place in a time range).
    await expect(table.getByRole("row")).toHaveCount(6 + 1);
    const lanes = page.getByRole("region", { name: "Swimlanes" });
    await expect(lanes.locator(".lane")).toHaveCount(2);
    // Four events within five minutes share one marker in a day-wide axis; hover lists them.
    const group = lanes.getByRole("button", { name: /^4 events from 2026-11-20 10:00:00 to 2026-11-20 10:05:01/ });
    await group.hover();
    const tip = page.getByRole("tooltip");
    await expect(tip).toContainText("4 events");
    await expect(tip).toContainText("provision.ec2_started");
    await expect(tip).toContainText("i-0123456789abcdef0");
    await screenshot(page, "timeline-group");
    // A click zooms the axis to them; then each event has its own marker and fields.
    await group.click();
    await expect(page.getByLabel("Since")).toHaveValue("2026-11-20T09:58");
    await lanes.getByRole("button", { name: /^provision\.ec2_started at 2026-11-20 10:00:05/ }).hover();
    await expect(tip).toContainText("provision.ec2_started");
    await expect(tip).toContainText("runtime");
    await expect(tip).toContainText("codex");

    // One workspace: the exports carry exactly its events, as the CLI writes them.
    await page.getByLabel("Since").fill("");
    await page.getByLabel("Until").fill("");
    const ws = page.getByRole("combobox", { name: "Workspace" });
    await ws.fill("imp-ws-1");
    await ws.press("Enter");
    await expect(table.getByRole("row")).toHaveCount(5 + 1);

    const [csvDownload] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Export CSV" }).click(),
    ]);
    expect(csvDownload.suggestedFilename()).toMatch(/^timeline-.*\.csv$/);
    await expect(page.getByTestId("export-result")).toHaveText("Exported 5 rows as CSV.");
    const csv = parse(await readFile((await csvDownload.path()) as string, "utf8"), { columns: true }) as Array<
      Record<string, string>
    >;
    expect(Object.keys(csv[0] ?? {})).toEqual(["ts", "event", "workspace_id", "instance_id", "source", "fields"]);
    expect(csv.map((r) => r.event)).toEqual([
      "billing.custom_event",
      "provision.start",
      "provision.ec2_started",
      "restart.pre_stop",
      "provision.ec2_stopped",
    ]);
    expect(csv.every((r) => r.workspace_id === "imp-ws-1")).toBe(true);
    expect(csv[4]?.ts).toBe("2026-11-20T10:05:01.250Z");
    expect(JSON.parse(csv[0]?.fields ?? "{}")).toEqual({ workspace_id: "imp-ws-1", extra: "kept" });

    const [jsonlDownload] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Export JSONL" }).click(),
    ]);
    expect(jsonlDownload.suggestedFilename()).toMatch(/^timeline-.*\.jsonl$/);
    await expect(page.getByTestId("export-result")).toHaveText("Exported 5 rows as JSONL.");
    const lines = (await readFile((await jsonlDownload.path()) as string, "utf8")).trimEnd().split("\n");
    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.map((r) => r.event)).toEqual(csv.map((r) => r.event));
    expect(records[2]).toMatchObject({
      ts: "2026-11-20T10:00:05.000Z",
      event: "provision.ec2_started",
      workspace_id: "imp-ws-1",
      instance_id: "i-0123456789abcdef0",
      source: "provlog",
      fields: { state: "pending", tier: 2, runtime: "codex" },
    });

    // The whole tenant over the last day, for the docs: lanes of what the other tests did.
    await page.getByRole("button", { name: "Reset" }).click();
    await page.getByRole("button", { name: "24 h" }).click();
    await expect(lanes).toBeVisible();
    // The last 24 h on the page's clock hold the emulator's log and events (the same test clock).
    await expect(lanes.locator(".lane").first()).toBeVisible();
    await screenshot(page, "timeline");
  });

  test("a log that changes after it was chosen: the import says so, and the app stays online", async ({
    app: page,
  }) => {
    // A server log the tenant is still writing: Chromium refuses to upload a file whose timestamp
    // changed after it was chosen (net::ERR_UPLOAD_FILE_CHANGED). The host is fine all along.
    const dir = await mkdtemp(join(tmpdir(), "molecule-ops-e2e-log-"));
    const file = join(dir, "platform.log");
    await writeFile(file, LOG);
    try {
      await page.getByRole("navigation", { name: "Screens" }).getByRole("button", { name: "Timeline" }).click();
      const importZone = page.getByRole("region", { name: "Import a log" });
      const input = importZone.getByLabel("Log file to import");
      // Hold the first change event (the choice), write to the file, then let the page have it.
      await input.evaluate((el) =>
        el.addEventListener("change", (e) => e.stopImmediatePropagation(), { capture: true, once: true }),
      );
      await input.setInputFiles(file);
      appendFileSync(file, "2026/11/22 08:00:00 still writing\n");
      const later = new Date(Date.now() + 60_000);
      utimesSync(file, later, later);
      await input.dispatchEvent("change");
      await expect(importZone.getByRole("alert")).toContainText(
        "Import failed: platform.log changed or could not be read after it was chosen",
      );
      await expect(page.getByRole("alert", { name: "Connection problem" })).toBeHidden();
      await expect(page.getByRole("status", { name: "Live status: live" })).toBeVisible();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
