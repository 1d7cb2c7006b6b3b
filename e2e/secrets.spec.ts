import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page, Response } from "@playwright/test";
import { TOKEN_HEADER } from "../core/api/ops-client";
import { type HostileUpstream, startHostileUpstream } from "../core/testing/hostile-upstream";
import { describeHits, type SecretHit, SecretProbe } from "../core/testing/secret-probe";
import { expect, openApp, selectWorkspace, test, workspaceGrid } from "./fixtures";
import { startHost, stopProcess } from "./ops-env";
import { clockEnv, testNow } from "./test-clock";

/**
 * Any trace of a configured secret (docs/contracts.md §5): as is, its first or last 8 characters,
 * URL-encoded, JSON- or HTML-escaped, base64 at any alignment (core/testing/secret-probe.ts).
 * One line per hit (which secret, in which form, where, the text around it); "" when clean.
 */
function leaks(probe: SecretProbe, text: string | Uint8Array, where: string): string {
  return describeHits(probe.find(text, where));
}

/** Every response the page receives, headers and body (an event stream: its headers; it is read on its own). */
function collectResponses(page: Page): { bodies: Array<{ url: string; text: string }>; settle(): Promise<void> } {
  const bodies: Array<{ url: string; text: string }> = [];
  const pending: Promise<void>[] = [];
  page.on("response", (res: Response) => {
    const headers = Object.entries(res.headers())
      .map(([k, v]) => `${k}: ${v}`)
      .join("\n");
    if ((res.headers()["content-type"] ?? "").includes("text/event-stream")) {
      bodies.push({ url: res.url(), text: headers });
      return;
    }
    pending.push(
      res
        .body()
        .then((b) => {
          bodies.push({ url: res.url(), text: `${headers}\n\n${b.toString("utf8")}` });
        })
        .catch(() => {}),
    );
  });
  return {
    bodies,
    settle: async () => {
      await Promise.all(pending);
    },
  };
}

/** A subscription's stream read as the page reads it, for `ms`. */
async function readStream(origin: string, token: string, path: string, ms: number): Promise<string> {
  const stop = new AbortController();
  const sse = await fetch(`${origin}${path}`, { headers: { [TOKEN_HEADER]: token }, signal: stop.signal });
  const reader = sse.body?.getReader();
  let streamed = "";
  const until = Date.now() + ms;
  while (reader && Date.now() < until) {
    const r = await Promise.race([
      reader.read(),
      new Promise<null>((resolve) => setTimeout(() => resolve(null), until - Date.now())),
    ]);
    if (!r || r.done) break;
    streamed += new TextDecoder().decode(r.value);
  }
  stop.abort();
  await reader?.cancel().catch(() => {});
  return streamed;
}

/** The DOM (markup and the values of every field), local and session storage, cookies, IndexedDB names. */
async function pageState(page: Page, context: BrowserContext) {
  const dom = await page.evaluate(() => {
    const values = [...document.querySelectorAll("input, textarea, select")].map((e) => (e as HTMLInputElement).value);
    return `${document.documentElement.outerHTML}\n${values.join("\n")}`;
  });
  const storage = await page.evaluate(() => {
    const dump = (s: Storage) => Array.from({ length: s.length }, (_, i) => `${s.key(i)}=${s.getItem(s.key(i) ?? "")}`);
    return [...dump(localStorage), ...dump(sessionStorage)].join("\n");
  });
  const cookies = JSON.stringify(await context.cookies());
  const databases = await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
  return { dom, storage, cookies, databases };
}

test.describe("secrets", () => {
  test("no configured secret in the DOM, in storage, in cookies or in any response", async ({ page, ops, context }) => {
    expect(ops.secrets).toHaveLength(3);
    const probe = new SecretProbe(ops.secrets);
    const { bodies, settle } = collectResponses(page);

    await page.goto(ops.url);
    await expect(page.getByRole("grid", { name: "Workspaces" }).getByRole("row").nth(1)).toBeVisible();
    // The token leaves the address bar at once (it stays in the page's memory only).
    expect(page.url()).not.toContain("token=");

    // Every screen and every kind of answer: list, detail, status check, console, events,
    // timeline, export, settings, profiles, connection test, palette.
    await selectWorkspace(page, "e2e-crash");
    await page.getByRole("button", { name: "Check status" }).click();
    await expect(page.getByRole("toolbar", { name: "Workspace actions" }).getByRole("status")).not.toBeEmpty();
    await page.getByRole("tab", { name: "Console" }).click();
    await expect(page.getByRole("region", { name: "Serial console" }).locator(".cl").first()).toBeVisible();
    await page.getByRole("tab", { name: "Events" }).click();
    await expect(page.getByRole("table", { name: "Workspace events" })).toBeVisible();
    await page.getByRole("navigation", { name: "Screens" }).getByRole("button", { name: "Timeline" }).click();
    await expect(page.getByRole("table", { name: "Timeline events" })).toBeVisible();
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Export JSONL" }).click(),
    ]);
    const exported = await download.path();
    expect(exported).toBeTruthy();
    await page.getByRole("navigation", { name: "Screens" }).getByRole("button", { name: "Settings" }).click();
    await page.getByRole("button", { name: "Test connection" }).first().click();
    await expect(page.getByTestId("profile-test-result")).toContainText("tenant OK");
    await page.keyboard.press("Control+k");
    await page.getByRole("combobox", { name: "Jump to a workspace or action" }).fill("e2e");
    await page.keyboard.press("Escape");
    await page.waitForTimeout(500);
    await settle();

    // Network: every response (headers and body) the page received (the event streams are read below).
    expect(bodies.length).toBeGreaterThan(15);
    expect(bodies.map((b) => leaks(probe, b.text, `response ${b.url}`)).join("")).toBe("");
    // The file the page downloaded.
    expect(leaks(probe, await readFile(exported!), "the exported JSONL")).toBe("");

    // The live subscription's stream, read as the page reads it.
    const streamed = await readStream(ops.origin, ops.token, "/api/subscribe/live?input=%7B%7D", 2000);
    expect(streamed).toContain('"kind":"connection"');
    expect(leaks(probe, streamed, "the live stream")).toBe("");

    // DOM (markup and the values of every field), storage, cookies.
    const { dom, storage, cookies, databases } = await pageState(page, context);
    expect(leaks(probe, dom, "the DOM")).toBe("");
    expect(dom).not.toContain(ops.token);
    expect(leaks(probe, storage, "storage")).toBe("");
    expect(storage).not.toContain(ops.token);
    expect(leaks(probe, cookies, "cookies")).toBe("");
    expect(cookies).not.toContain(ops.token);
    expect(databases).toEqual([]);
  });

  test("a hostile upstream: no trace of a secret in the DOM, storage, cookies, responses, streams or exports", async ({
    page,
    context,
  }) => {
    test.setTimeout(90_000);
    // The same secrets an upstream echoes in every field, header, console line and /ws frame, in
    // every encoding (core/testing/hostile-upstream.ts), behind a host of its own on the test clock.
    // No words inside them: the probe reports any 8 characters of a secret, and the labels are words.
    const secrets = {
      adminToken: 'Xw3mQa7R<adm&n>"page\\tok/+=~Hd5Kt9Lb',
      provisionSecret: "Pe6tWc1N-pZ8u&sF5y=%43/2Jv8Gz",
      adminApiToken: "Bn9sFr4Y+cK dXv<tQr>_7Mk2Qx6Uh",
    };
    const probe = new SecretProbe(secrets);
    const home = await mkdtemp(join(tmpdir(), "molecule-ops-e2e-hostile-"));
    let hostile: HostileUpstream | null = null;
    let host: Awaited<ReturnType<typeof startHost>> | null = null;
    try {
      hostile = await startHostileUpstream({ secrets, now: testNow, heartbeatMs: 500 });
      const env: NodeJS.ProcessEnv = { ...process.env, ...hostile.env, MOLECULE_OPS_HOME: home, ...clockEnv() };
      for (const name of ["MOLECULE_OPS_DB", "MOLECULE_CP_URL", "PROVISION_SHARED_SECRET"]) delete env[name];
      host = await startHost(env);
      const url = new URL(host.url);
      const origin = url.origin;
      const token = new URLSearchParams(url.hash.slice(1)).get("token") ?? "";
      // The tenant's server log (which instance each workspace runs on), as the page's drop imports it.
      const imported = await fetch(`${origin}/api/import?name=tenant-server.log`, {
        method: "POST",
        headers: { "content-type": "application/octet-stream", [TOKEN_HEADER]: token },
        body: hostile.serverLog(),
      });
      expect((await imported.json()).ok).toBe(true);

      const { bodies, settle } = collectResponses(page);
      await openApp(page, host.url);
      expect(page.url()).not.toContain("token=");
      const rows = workspaceGrid(page).getByRole("row");
      await expect(rows).toHaveCount(9); // the header and 8 hostile workspaces
      // Each workspace's detail (its fields, hostile names and cards), then the crashed one's
      // console and events, a status check, the timeline, an export, the doctor, settings.
      const detail = page.getByRole("region", { name: "Workspace detail" });
      for (let i = 1; i <= 8; i++) {
        await rows.nth(i).click();
        await expect(detail).toBeVisible();
      }
      await page.getByRole("searchbox", { name: "Filter workspaces by text" }).fill("");
      await rows.nth(2).click(); // the writer: failed, its boot crashed
      await page.getByRole("button", { name: "Check status" }).click();
      await expect(page.getByRole("toolbar", { name: "Workspace actions" }).getByRole("status")).not.toBeEmpty();
      await page.getByRole("tab", { name: "Console" }).click();
      await expect(page.getByRole("region", { name: "Serial console" }).locator(".cl").first()).toBeVisible();
      await expect(page.getByRole("region", { name: "Serial console" })).toContainText("[redacted]");
      await page.getByRole("tab", { name: "Events" }).click();
      await expect(page.getByRole("table", { name: "Workspace events" })).toBeVisible();
      const screens = page.getByRole("navigation", { name: "Screens" });
      await screens.getByRole("button", { name: "Timeline" }).click();
      await expect(page.getByRole("table", { name: "Timeline events" })).toBeVisible();
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("button", { name: "Export CSV" }).click(),
      ]);
      const exported = await download.path();
      await screens.getByRole("button", { name: "Doctor" }).click();
      await expect(page.getByRole("table", { name: "Findings" })).toBeVisible({ timeout: 20_000 });
      await screens.getByRole("button", { name: "Settings" }).click();
      await page.getByRole("button", { name: "Test connection" }).first().click();
      await expect(page.getByTestId("profile-test-result")).not.toBeEmpty();
      // The upstream failing: every route's error body and headers echo the secrets too.
      hostile.answer("all", 500);
      await screens.getByRole("button", { name: "Workspaces" }).click();
      await rows.nth(1).click();
      await page.getByRole("button", { name: "Check status" }).click();
      await page.getByRole("tab", { name: "Console" }).click();
      await page.waitForTimeout(1000);
      const failedDom = (await pageState(page, context)).dom;
      hostile.answer("all", 401);
      await screens.getByRole("button", { name: "Doctor" }).click();
      await page.getByRole("button", { name: /Run again|Checking/ }).click();
      await page.waitForTimeout(1000);
      const refusedDom = (await pageState(page, context)).dom;
      hostile.answer("all", "ok");
      await page.waitForTimeout(500);
      await settle();

      // The upstream was reached on every path the page took, so the scan is of real traffic.
      for (const route of ["tenant.list", "tenant.events", "tenant.ws", "cp.status", "cp.console"] as const) {
        expect(hostile.hits(route), route).toBeGreaterThan(0);
      }
      expect(hostile.framesSent()).toBeGreaterThan(0);
      expect(bodies.length).toBeGreaterThan(15);
      expect(bodies.map((b) => b.text).join("")).toContain("[redacted]");
      const hits: SecretHit[] = [];
      for (const b of bodies) hits.push(...probe.find(b.text, `response ${b.url}`));
      hits.push(...probe.find(await readFile(exported!), "the exported CSV"));
      const streamed = await readStream(origin, token, "/api/subscribe/live?input=%7B%7D", 2000);
      expect(streamed).toContain('"kind":"connection"');
      hits.push(...probe.find(streamed, "the live stream"));
      const { dom, storage, cookies, databases } = await pageState(page, context);
      hits.push(
        ...probe.find(dom, "the DOM"),
        ...probe.find(failedDom, "the DOM, the upstream answering 500"),
        ...probe.find(refusedDom, "the DOM, the upstream answering 401"),
        ...probe.find(storage, "storage"),
        ...probe.find(cookies, "cookies"),
      );
      expect(databases).toEqual([]);
      expect(describeHits(hits)).toBe("");
      for (const text of [dom, storage, cookies]) expect(text).not.toContain(token);
    } finally {
      if (host) await stopProcess(host.proc);
      await hostile?.close();
      await rm(home, { recursive: true, force: true });
    }
  });
});
