import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { importProvlog } from "../core/provlog/ingest";
import { Store } from "../core/store/store";
import type { Sim } from "./index";
import { injectProblems } from "./problems";
import { call, PATIENT, START, STILL, simsAtStart, tenantHeaders } from "./test-support";

const sim = simsAtStart();
let dirs: string[] = [];
let stores: Store[] = [];
afterEach(async () => {
  for (const store of stores) store.close();
  stores = [];
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  dirs = [];
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "sim-log-"));
  dirs.push(dir);
  return dir;
}

async function withLog(options: Parameters<typeof sim>[0] = {}): Promise<{ s: Sim; log: string; dir: string }> {
  const dir = await tempDir();
  const log = join(dir, "server.log");
  return { s: await sim({ ...options, logFile: log }), log, dir };
}

function lines(path: string): string[] {
  return readFileSync(path, "utf8").split("\n").slice(0, -1);
}

/** Imports the log into a fresh real cache, as `molecule-ops import-log` does, and checks it was all read. */
async function importInto(dir: string, log: string): Promise<Store> {
  const store = Store.open(join(dir, `cache-${stores.length}.db`));
  stores.push(store);
  const report = await importProvlog(store, log);
  expect(report.malformed).toBe(0);
  return store;
}

const GO_LINE = /^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2} \S/;
const GIN_LINE = /^\[GIN\] \d{4}\/\d{2}\/\d{2} - \d{2}:\d{2}:\d{2} \| {1,2}\d{3} \| +\S+ \| +\S+ \| [A-Z]+ +"\/\S*"$/;

describe("the tenant server's log (logFile)", () => {
  it("starts with the seeded history, each line a Go logger line or a gin access line, stamped on the sim clock", async () => {
    // STILL: the log is the seeded history alone, with no seeded boot finishing meanwhile.
    const { s, log } = await withLog({ workspaces: 30, timing: STILL });
    const all = lines(log);
    for (const line of all) expect(GO_LINE.test(line) || GIN_LINE.test(line), line).toBe(true);
    const stamps = all
      .filter((l) => GO_LINE.test(l))
      .map((l) => Date.parse(`${l.slice(0, 10).replaceAll("/", "-")}T${l.slice(11, 19)}Z`));
    expect(stamps).toEqual([...stamps].sort((a, b) => a - b));
    expect(Math.max(...stamps)).toBeLessThanOrEqual(START);
    // Every workspace that has or had a machine: its create and its Start, on the record.
    for (const ws of s.state.workspaces()) {
      const instance = s.state.instances().find((i) => i.workspace_id === ws.id);
      if (!instance) continue;
      const own = all.filter((l) => l.includes(`"workspace_id":"${ws.id}"`));
      expect(own[0]).toContain(' evt: provision.start {"name":');
      expect(own[0]).toContain('"sync":false');
      expect(own[1]).toContain(` evt: provision.ec2_started {"instance_id":"${instance.instance_id}"`);
      expect(all).toContain(
        all.find((l) =>
          l.endsWith(`CP provisioner: workspace ${ws.id} → EC2 instance ${instance.instance_id} (pending)`),
        ),
      );
      // Only the tenant's own Stops (Pause) are on record.
      expect(own.some((l) => l.includes("provision.ec2_stopped"))).toBe(ws.status === "paused");
    }
    expect(all.some((l) => l.includes("BootstrapFailed: marked "))).toBe(true);
    expect(all.some((l) => l.startsWith("[GIN] ") && l.endsWith('POST     "/workspaces"'))).toBe(true);
  });

  it("imports losslessly into a real cache: every binding learnt is the tenant's instanceOf", async () => {
    const { s, log, dir } = await withLog({ workspaces: 40, timing: STILL });
    const store = await importInto(dir, log);
    for (const ws of s.state.workspaces()) {
      expect(store.bindings.resolveInstanceId(ws.id), `${ws.name} (${ws.status})`).toBe(s.state.instanceOf(ws.id));
    }
  });

  it("appends live as the tenant acts: a restart's ec2_stopped then ec2_started; gin lines for requests", async () => {
    const { s, log, dir } = await withLog({ crashRatio: 0 });
    const ws = s.state.workspaces().find((w) => w.status === "online" && w.runtime !== "external");
    if (!ws) throw new Error("no online workspace");
    const before = lines(log).length;
    expect((await call(s, "POST", `/workspaces/${ws.id}/restart`, { headers: tenantHeaders(s) })).status).toBe(200);
    const ginLine = (l: string) => l.startsWith("[GIN] ") && l.includes(`"/workspaces/${ws.id}/restart"`);
    // The access line is written when the answer is sent, the Start after it: wait for both.
    await vi.waitFor(() => {
      const after = lines(log).slice(before);
      expect(after.some((l) => l.includes("provision.ec2_started"))).toBe(true);
      expect(after.some(ginLine)).toBe(true);
    }, PATIENT);
    const added = lines(log).slice(before);
    expect(added.some((l) => ginLine(l) && l.startsWith("[GIN] 2026/12/03 - 07:45:"))).toBe(true);
    expect(added.findIndex((l) => l.includes("evt: provision.ec2_stopped"))).toBeLessThan(
      added.findIndex((l) => l.includes("evt: provision.ec2_started")),
    );
    const added2 = s.state.addWorkspace({ status: "online", name: "fresh" });
    await vi.waitFor(() => expect(lines(log).some((l) => l.includes(`"name":"fresh"`))).toBe(true), PATIENT);
    const store = await importInto(dir, log);
    for (const id of [ws.id, added2.id]) expect(store.bindings.resolveInstanceId(id)).toBe(s.state.instanceOf(id));
  });

  it("gives the doctor's problems to a console through the log only: the UUID binding, and an orphan's failed Stop", async () => {
    const { s, log, dir } = await withLog({ crashRatio: 0 });
    const problems = injectProblems(s.state, 10);
    const online = s.state.workspaces().filter((w) => w.status === "online" && w.runtime !== "external");
    const malformed = s.state.workspaces().find((w) => s.state.instanceOf(w.id) === w.id);
    expect(malformed).toBeDefined();
    expect(lines(log).length).toBeGreaterThan(0);
    await vi.waitFor(
      () =>
        expect(
          lines(log).some((l) => l.includes(`"instance_id":"${malformed?.id}"`) && l.includes("ec2_started")),
        ).toBe(true),
      PATIENT,
    );
    await vi.waitFor(() => expect(s.state.workspaces().some((w) => w.status === "removed")).toBe(true), PATIENT);
    problems.cancel();
    const orphan = s.state.workspaces().find((w) => w.status === "removed");
    const orphanInstance = s.state.instanceOf(orphan?.id ?? "") as string;
    expect(s.state.instance(orphanInstance)?.state).toBe("running");
    await vi.waitFor(
      () =>
        expect(
          lines(log).some((l) =>
            l.includes(`Delete ${orphan?.id} stop failed: cp provisioner: stop ${orphan?.id}: unexpected 502`),
          ),
        ).toBe(true),
      PATIENT,
    );
    expect(lines(log).some((l) => l.includes("ec2_stopped") && l.includes(orphanInstance))).toBe(false);
    expect(online.length).toBeGreaterThan(2);
    const store = await importInto(dir, log);
    expect(store.bindings.resolveInstanceId(malformed?.id ?? "")).toBe(malformed?.id);
    expect(store.bindings.resolveInstanceId(orphan?.id ?? "")).toBe(orphanInstance);
    const stuck = s.state.workspaces().find((w) => w.name === "stuck-boot");
    expect(store.bindings.resolveInstanceId(stuck?.id ?? "")).toBe(s.state.instanceOf(stuck?.id ?? ""));
    expect(stuck?.status).toBe("provisioning");
  });

  it("logs a gin line for every request the server answered (the org guard's 404 too), none for the SaaS edge's", async () => {
    const { s, log } = await withLog({ saasEdge: true });
    const { origin: _, ...noOrigin } = tenantHeaders(s);
    expect((await call(s, "GET", "/workspaces?x=1", { headers: noOrigin })).status).toBe(404);
    expect((await call(s, "GET", "/events", { headers: { "x-molecule-org-id": "org-other" } })).status).toBe(404);
    expect((await call(s, "GET", "/events", { headers: tenantHeaders(s) })).status).toBe(200);
    expect((await call(s, "GET", "/cp/nope")).status).toBe(404);
    await vi.waitFor(() => expect(lines(log).filter((l) => l.includes('"/events"'))).toHaveLength(2), PATIENT);
    const gin = lines(log).filter((l) => l.startsWith("[GIN] "));
    const events = gin.filter((l) => l.endsWith('"/events"'));
    expect(events.map((l) => l.slice(l.indexOf("|") + 2, l.indexOf("|") + 5))).toEqual(["404", "200"]);
    // The CP is another server, and the edge answered the first request itself.
    expect(gin.some((l) => l.includes('"/cp/') || l.includes("/workspaces?x=1"))).toBe(false);
  });

  it("writes no file without logFile, and no EC2 records for a tenant without a CP", async () => {
    const { s, log } = await withLog({ cp: false });
    expect(lines(log).filter((l) => l.includes("evt: "))).toEqual([]);
    for (const ws of s.state.workspaces()) expect(s.state.instanceOf(ws.id)).toBeNull();
  });
});
