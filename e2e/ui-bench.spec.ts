import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { type OpsEnv, startOpsEnv, waitForListed } from "./ops-env";
import { CLOCK_OFFSET_MS, shiftPageDate } from "./test-clock";

/**
 * UI benchmark (issue item 8), run on demand: `UI_BENCH=1 npx playwright test e2e/ui-bench.spec.ts`.
 * Two hosts in the same run, one with 100 workspaces and one with 10,000 (7 known + seeded), no CP
 * (so no 10,000-instance status sweep competes for the two cores), agents heartbeating at the
 * platform's rate (every 30 s: 333 messages a second on the 10,000-workspace feed). For each, medians of 5 runs:
 *   firstRow: navigation start → first data row painted (includes the host building the list);
 *   render:   the list's JSON parsed → first data row painted (what the UI itself costs);
 *   scroll:   a full scroll, top to bottom in 60 jumps, each until the row at the target index is
 *             in the DOM (every row of the list passes the viewport's position once). Then a 256 KiB serial console: time from
 * typing a query to the match count on screen. Results go to stdout and test-results/ui-bench.json.
 */
const RUNS = 7;
const JUMPS = 60;

test.describe("UI benchmark", () => {
  test.skip(process.env.UI_BENCH !== "1", "set UI_BENCH=1 to run the UI benchmark");
  test.setTimeout(600_000);

  test("10,000 rows cost at most 2x 100 rows; console search on 256 KiB under 100 ms", async ({ browser }) => {
    const small = await startOpsEnv({ workspaces: 93, cp: false, timing: { heartbeatMs: 30_000 } });
    const large = await startOpsEnv({ workspaces: 9993, cp: false, timing: { heartbeatMs: 30_000 } });
    try {
      await waitForListed(small, 100);
      await waitForListed(large, 10_000);

      const page = await browser.newPage();
      // The test clock (as the emulators and hosts have it), for Date only: page.clock.install would
      // also replace requestAnimationFrame and performance.now, which these measurements rely on.
      await page.addInitScript(shiftPageDate, CLOCK_OFFSET_MS);
      await page.addInitScript(installFirstRowProbe);
      const cdp = await page.context().newCDPSession(page);
      const figures: Record<string, number[]> = {
        firstRow100: [],
        firstRow10k: [],
        render100: [],
        render10k: [],
        scroll100: [],
        scroll10k: [],
      };
      // Interleaved runs, so drift (GC, a background sweep) hits both sizes alike.
      for (let run = 0; run < RUNS; run++) {
        for (const [env, size] of [
          [small, "100"],
          [large, "10k"],
        ] as const) {
          // The previous run's heap is collected before this one starts, not during it.
          await page.goto("about:blank");
          await cdp.send("HeapProfiler.collectGarbage");
          const r = await measureList(page, env);
          figures[`firstRow${size}`]?.push(r.firstRow);
          figures[`render${size}`]?.push(r.render);
          figures[`scroll${size}`]?.push(r.scroll);
        }
      }
      const med = Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, median(v)]));
      // The best run of each: on a shared machine other processes only ever add time.
      const best = Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, Math.min(...v)]));
      await page.goto("about:blank");
      await cdp.send("HeapProfiler.collectGarbage");
      const search = await measureConsoleSearch(page, small);
      await page.close();

      const total = (size: "100" | "10k") => (med[`firstRow${size}`] ?? 0) + (med[`scroll${size}`] ?? 0);
      const result = {
        runs: RUNS,
        // The item's measure: first render and a full scroll, 10,000 rows against 100.
        firstRenderAndFullScroll: { ms100: total("100"), ms10k: total("10k"), ratio: total("10k") / total("100") },
        medianMs: med,
        bestMs: best,
        ratios: {
          firstRow: (med.firstRow10k ?? 0) / (med.firstRow100 ?? 1),
          render: (med.render10k ?? 0) / (med.render100 ?? 1),
          scroll: (med.scroll10k ?? 0) / (med.scroll100 ?? 1),
        },
        bestRatios: {
          firstRow: (best.firstRow10k ?? 0) / (best.firstRow100 ?? 1),
          render: (best.render10k ?? 0) / (best.render100 ?? 1),
          scroll: (best.scroll10k ?? 0) / (best.scroll100 ?? 1),
        },
        consoleSearch256KiB: search,
      };
      // `npm run bench -- --only ui` names the file (UI_BENCH_OUT); by hand it goes to test-results/.
      const out = process.env.UI_BENCH_OUT ?? "test-results/ui-bench.json";
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
      console.log(`ui-bench: ${JSON.stringify(result, null, 2)}`);

      expect
        .soft(result.firstRenderAndFullScroll.ratio, "first render + full scroll, 10,000 vs 100 rows")
        .toBeLessThanOrEqual(2);
      expect.soft(search.maxMs, "console search on 256 KiB").toBeLessThan(100);
    } finally {
      await small.close();
      await large.close();
    }
  });
});

/**
 * Runs in the page before its scripts: notes when the workspace list's JSON was parsed and when
 * the first data row was painted (the frame after it entered the DOM).
 */
function installFirstRowProbe(): void {
  const w = window as unknown as { __firstRowAt?: number; __listParsedAt?: number };
  const json = Response.prototype.json;
  Response.prototype.json = async function (this: Response) {
    const value = await json.call(this);
    if (this.url.includes("/api/request/workspaces.list") && w.__listParsedAt === undefined) {
      w.__listParsedAt = performance.now();
    }
    return value;
  };
  const observer = new MutationObserver(() => {
    if (document.querySelector('[aria-label="Workspaces"] tr[aria-rowindex="2"]')) {
      observer.disconnect();
      requestAnimationFrame(() =>
        setTimeout(() => {
          w.__firstRowAt = performance.now();
        }),
      );
    }
  });
  observer.observe(document, { childList: true, subtree: true });
}

async function measureList(page: Page, env: OpsEnv): Promise<{ firstRow: number; render: number; scroll: number }> {
  await page.goto(env.url);
  await page.waitForFunction(() => (window as unknown as { __firstRowAt?: number }).__firstRowAt !== undefined);
  const { firstRow, listParsed } = await page.evaluate(() => {
    const w = window as unknown as { __firstRowAt: number; __listParsedAt?: number };
    return { firstRow: w.__firstRowAt, listParsed: w.__listParsedAt ?? 0 };
  });
  const scroll = await page.evaluate(async (jumps) => {
    const el = document.querySelector(".ws-scroll") as HTMLElement;
    const grid = el.querySelector("table") as HTMLElement;
    const rows = Number(grid.getAttribute("aria-rowcount")) - 1;
    const frame = () => new Promise<void>((r) => requestAnimationFrame(() => r()));
    await frame();
    const t0 = performance.now();
    for (let i = 1; i <= jumps; i++) {
      const top = Math.round(((el.scrollHeight - el.clientHeight) * i) / jumps);
      el.scrollTop = top;
      const want = Math.min(rows, Math.floor(top / 34) + 2);
      for (let tries = 0; tries < 30; tries++) {
        await frame();
        if (el.querySelector(`tr[aria-rowindex="${want + 1}"]`)) break;
      }
    }
    const last = el.querySelector(`tr[aria-rowindex="${rows + 1}"]`);
    if (!last) throw new Error("the last row never rendered");
    return performance.now() - t0;
  }, JUMPS);
  return { firstRow, render: firstRow - listParsed, scroll };
}

/** A realistic boot log of about 256 KiB (the CP's console read is capped at 256 KiB of JSON). */
function bigConsole(): string {
  const lines: string[] = [];
  let body = 0;
  for (let i = 0; body < 250 * 1024; i++) {
    const t = (i * 0.137).toFixed(6).padStart(12);
    const line =
      i % 7 === 0
        ? `[\u001b[0;32m  OK  \u001b[0m] Started \u001b[0;1;39munit-${i}.service\u001b[0m - Worker ${i} of the workspace runtime.`
        : `[${t}] cloud-init[${1100 + (i % 900)}]: ci-info: | ens5 | True | 10.0.${i % 255}.${i % 200} | 255.255.240.0 | global | line ${i}`;
    lines.push(line);
    body += JSON.stringify(line).length + 4;
  }
  return `${lines.join("\r\n")}\r\n`;
}

async function measureConsoleSearch(page: Page, env: OpsEnv) {
  const output = bigConsole();
  const json = JSON.stringify({ output });
  // Served as the CP's or, for a host without a CP (these), the tenant's console answer.
  for (const route of ["cp.console", "tenant.console"]) {
    env.sim.faults.set(route, { kind: "status", status: 200, body: json }, { times: 1000 });
  }
  await page.goto(env.url);
  await page.getByRole("grid", { name: "Workspaces" }).getByRole("row").nth(1).click();
  const t0 = Date.now();
  await page.getByRole("tab", { name: "Console" }).click();
  const region = page.getByRole("region", { name: "Serial console" });
  await expect(region.getByRole("log", { name: "Console output" })).toHaveAttribute(
    "data-lines",
    String(output.split("\r\n").length - 1),
    { timeout: 30_000 },
  );
  const openMs = Date.now() - t0;
  const queries = ["cloud-init", "global", "unit-4242", "ENS5", "zzz-not-there", "0.137"];
  const times: number[] = [];
  const counts: string[] = [];
  for (const q of queries) {
    const r = await page.evaluate(async (query) => {
      const input = document.getElementById("console-search") as HTMLInputElement;
      const count = document.querySelector('[data-testid="console-match-count"]') as HTMLElement;
      const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")?.set;
      setValue?.call(input, "");
      input.dispatchEvent(new Event("input", { bubbles: true }));
      await new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res)));
      // Until the count shows this query's result, then the frame that paints it.
      const changed = new Promise<void>((res) => {
        const mo = new MutationObserver(() => {
          if (/of \d+|No matches/.test(count.textContent ?? "")) {
            mo.disconnect();
            res();
          }
        });
        mo.observe(count, { childList: true, characterData: true, subtree: true });
      });
      const t = performance.now();
      setValue?.call(input, query);
      input.dispatchEvent(new Event("input", { bubbles: true }));
      await changed;
      await new Promise((res) => requestAnimationFrame(() => setTimeout(res)));
      return { ms: performance.now() - t, count: count.textContent ?? "" };
    }, q);
    times.push(r.ms);
    counts.push(`${q}: ${r.count}`);
  }
  env.sim.faults.clear();
  return {
    bytes: new TextEncoder().encode(output).length,
    lines: output.split("\r\n").length - 1,
    openMs,
    searchMs: times.map((t) => Math.round(t * 10) / 10),
    maxMs: Math.max(...times),
    counts,
  };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}
