import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Sim, startSim } from "../../sim";
import { answerRequest } from "./dispatch";
import type { OpsService } from "./ops-service";
import { secretsOf, serviceIn } from "./ops-service.testkit";

/**
 * docs/contracts.md §5, "stored secrets belong to the origins they were entered for", against real servers:
 * a tenant (the emulator) whose secrets are saved, and a second loopback server that records
 * every request it gets, standing for the place a profile is pointed at afterwards.
 */
let dir: string;
let sim: Sim;
let elsewhere: Recorder;
let service: OpsService;

interface Recorder {
  url: string;
  requests: { method: string; url: string; headers: IncomingMessage["headers"] }[];
  close(): Promise<void>;
}

/** Answers like a tenant with one workspace (so a connection test also asks its CP), and records. */
async function startRecorder(): Promise<Recorder> {
  const requests: Recorder["requests"] = [];
  const server: Server = createServer((req, res) => {
    requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers });
    req.resume();
    const list = req.method === "GET" && req.url === "/workspaces";
    res.writeHead(list ? 200 : 404, { "content-type": "application/json" });
    res.end(list ? JSON.stringify([{ id: "ws-elsewhere", name: "x", status: "online" }]) : "{}");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "profiles-"));
  sim = await startSim({ workspaces: 0 });
  sim.state.addWorkspace({ status: "online", name: "alpha" });
  elsewhere = await startRecorder();
  service = serviceIn(dir);
});
afterEach(async () => {
  await service.close();
  await sim.close();
  await elsewhere.close();
  rmSync(dir, { recursive: true, force: true });
});

const call = (name: string, input: unknown) => answerRequest(service, name, input);

const simSecrets = () => secretsOf(sim);

async function saveAcme(): Promise<void> {
  const saved = await call("profiles.save", {
    profile: { name: "acme", tenantUrl: sim.url, orgId: sim.env.MOLECULE_ORG_ID, cpUrl: sim.url },
    secrets: simSecrets(),
  });
  expect(saved).toMatchObject({ ok: true, result: { hasSecrets: true } });
  expect(await call("profiles.test", { name: "acme" })).toMatchObject({ ok: true, result: { ok: true, cp: "ok" } });
}

/** Nothing the recorder got holds a secret, whole or its first 8 characters. */
function expectNoSecretSentElsewhere(): void {
  const seen = JSON.stringify(elsewhere.requests);
  for (const secret of Object.values(simSecrets())) {
    expect(seen).not.toContain(secret);
    expect(seen).not.toContain(secret.slice(0, 8));
  }
}

const storedNames = () =>
  Object.keys((JSON.parse(readFileSync(join(dir, "credentials.json"), "utf8")) as { profiles: object }).profiles);

describe("stored secrets belong to their origins", () => {
  it("a profile saved again with both URLs changed and no secrets loses them: profiles.test sends no bearer there", async () => {
    await saveAcme();
    const moved = await call("profiles.save", {
      profile: { name: "acme", tenantUrl: elsewhere.url, orgId: sim.env.MOLECULE_ORG_ID, cpUrl: elsewhere.url },
    });
    expect(moved).toMatchObject({ ok: true, result: { name: "acme", hasSecrets: false } });
    expect(storedNames()).not.toContain("acme");

    await call("profiles.test", { name: "acme" });
    // The test did reach the new place (tenant list, then the CP console): without any secret.
    expect(elsewhere.requests.map((r) => r.url)).toContain("/workspaces");
    expect(elsewhere.requests.some((r) => r.url.startsWith("/cp/"))).toBe(true);
    for (const r of elsewhere.requests) expect(r.headers.authorization).toBeUndefined();
    expectNoSecretSentElsewhere();
  });

  it("changing only the CP URL drops them too; the same URLs written differently keep them", async () => {
    await saveAcme();
    const same = await call("profiles.save", {
      profile: { name: "acme", tenantUrl: `${sim.url}/`, orgId: sim.env.MOLECULE_ORG_ID, cpUrl: `${sim.url}/` },
    });
    expect(same).toMatchObject({ ok: true, result: { hasSecrets: true } });
    const cpMoved = await call("profiles.save", {
      profile: { name: "acme", tenantUrl: sim.url, orgId: sim.env.MOLECULE_ORG_ID, cpUrl: elsewhere.url },
    });
    expect(cpMoved).toMatchObject({ ok: true, result: { hasSecrets: false } });
    expect(storedNames()).not.toContain("acme");
  });

  it("secrets entered in the same save go with the new URLs", async () => {
    await saveAcme();
    const other = await startSim({ workspaces: 0 });
    try {
      other.state.addWorkspace({ status: "online", name: "beta" });
      const moved = await call("profiles.save", {
        profile: { name: "acme", tenantUrl: other.url, orgId: other.env.MOLECULE_ORG_ID, cpUrl: other.url },
        secrets: secretsOf(other),
      });
      expect(moved).toMatchObject({ ok: true, result: { hasSecrets: true } });
      expect(await call("profiles.test", { name: "acme" })).toMatchObject({
        ok: true,
        result: { ok: true, workspaces: 1, cp: "ok" },
      });
    } finally {
      await other.close();
    }
  });

  it("profiles.json edited by hand to point elsewhere: the stored secrets stay with the URLs they were entered for", async () => {
    await saveAcme();
    const path = join(dir, "profiles.json");
    const state = JSON.parse(readFileSync(path, "utf8")) as { profiles: { tenantUrl: string; cpUrl: string }[] };
    for (const p of state.profiles) {
      p.tenantUrl = elsewhere.url;
      p.cpUrl = elsewhere.url;
    }
    writeFileSync(path, JSON.stringify(state));

    expect(await call("profiles.list", {})).toMatchObject({ ok: true, result: [{ name: "acme", hasSecrets: false }] });
    await call("profiles.test", { name: "acme" });
    expect(elsewhere.requests.length).toBeGreaterThan(0);
    expectNoSecretSentElsewhere();
    // Pointed back, they are the profile's again.
    for (const p of state.profiles) {
      p.tenantUrl = sim.url;
      p.cpUrl = sim.url;
    }
    writeFileSync(path, JSON.stringify(state));
    expect(await call("profiles.test", { name: "acme" })).toMatchObject({ ok: true, result: { ok: true } });
  });

  it("a URL that profiles.json holds against the rules is refused before any secret is read", async () => {
    await saveAcme();
    const path = join(dir, "profiles.json");
    const state = JSON.parse(readFileSync(path, "utf8")) as { profiles: { tenantUrl: string }[] };
    for (const p of state.profiles) p.tenantUrl = "http://tenant.example.com";
    writeFileSync(path, JSON.stringify(state));
    const r = await call("profiles.test", { name: "acme" });
    expect(r).toMatchObject({ ok: false, error: { code: "Config" } });
    expect(!r.ok && r.error.message).toMatch(/tenant URL of acme must use https/);
  });
});

describe("profile URLs are checked when saved", () => {
  const save = (tenantUrl: string, cpUrl: string | null = null) =>
    call("profiles.save", { profile: { name: "p", tenantUrl, orgId: "org", cpUrl } });

  it.each([
    ["file:///etc/passwd", /tenantUrl: must be an http\(s\) URL/],
    ["javascript:alert(1)", /tenantUrl: must be an http\(s\) URL/],
    ["http://user:pw@127.0.0.1:8080", /tenantUrl: must not contain credentials/],
    ["https://:token@tenant.example.com", /tenantUrl: must not contain credentials/],
    ["http://tenant.example.com", /tenantUrl: must use https \(plain http only to this machine/],
    ["http://10.0.0.5:8080", /tenantUrl: must use https/],
    ["http://localhost.evil.example", /tenantUrl: must use https/],
    ["http://[::ffff:7f00:1]/", /tenantUrl: must use https/],
    ["https://tenant.example.com/?token=x", /tenantUrl: must not contain a query or a fragment/],
    ["https://tenant.example.com/#x", /tenantUrl: must not contain a query or a fragment/],
    ["https://tenant.example.com/?", /tenantUrl: must not contain a query or a fragment/],
    ["tenant.example.com", /tenantUrl: is not a valid URL/],
  ])("refuses %s with a clear message", async (url, message) => {
    const r = await save(url);
    expect(r).toMatchObject({ ok: false, error: { code: "Input" } });
    expect(!r.ok && r.error.message).toMatch(message);
    // The same rule for the CP URL.
    const cp = await save("https://tenant.example.com", url);
    expect(!cp.ok && cp.error.message).toMatch(new RegExp(message.source.replace("tenantUrl", "cpUrl")));
    expect(await call("profiles.list", {})).toMatchObject({ ok: true, result: [] });
  });

  it.each([
    ["https://tenant.example.com", "https://tenant.example.com"],
    ["https://Tenant.Example.com/prefix/", "https://tenant.example.com/prefix"],
    ["http://127.0.0.1:8080", "http://127.0.0.1:8080"],
    ["http://127.45.6.7:8080/", "http://127.45.6.7:8080"],
    ["http://localhost:8080", "http://localhost:8080"],
    ["http://LOCALHOST:8080", "http://localhost:8080"],
    ["http://[::1]:8080", "http://[::1]:8080"],
  ])("accepts %s, saved as %s", async (url, saved) => {
    expect(await save(url, url)).toMatchObject({ ok: true, result: { tenantUrl: saved, cpUrl: saved } });
  });
});

describe("profile names are unique regardless of case", () => {
  const save = (name: string, orgId = "org") =>
    call("profiles.save", { profile: { name, tenantUrl: "https://tenant.example.com", orgId, cpUrl: null } });

  it("saving 'victim' when 'Victim' exists is refused, naming the profile that exists", async () => {
    expect(await save("Victim")).toMatchObject({ ok: true });
    const r = await save("victim");
    expect(r).toMatchObject({ ok: false, error: { code: "Conflict" } });
    expect(!r.ok && r.error.message).toMatch(/a profile named "Victim" exists \(names are compared without case\)/);
    expect(await save("VICTIM")).toMatchObject({ ok: false, error: { code: "Conflict" } });
    // Editing the profile itself is not a clash.
    expect(await save("Victim", "org-2")).toMatchObject({ ok: true, result: { name: "Victim", orgId: "org-2" } });
    const list = await call("profiles.list", {});
    expect(list.ok && (list.result as { name: string }[]).map((p) => p.name)).toEqual(["Victim"]);
  });

  it("the environment's profile name is taken in any case", async () => {
    expect(await save("Environment")).toMatchObject({ ok: false, error: { code: "Input" } });
    expect(await save("ENVIRONMENT")).toMatchObject({ ok: false, error: { code: "Input" } });
  });
});
