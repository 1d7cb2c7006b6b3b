import { request } from "node:http";
import { describe, expect, it } from "vitest";
import { startSim } from "./index";
import { call, FAST, provisionHeaders, SIM_ENV_NAMES, START, simsAtStart, tenantHeaders } from "./test-support";

const sim = simsAtStart();

describe("HTTP plumbing", () => {
  it("answers the tenant's unknown routes and wrong methods as gin does: 404 '404 page not found'", async () => {
    const s = await sim();
    const unknown = await call(s, "GET", "/nope", { headers: tenantHeaders(s) });
    expect(unknown).toMatchObject({ status: 404, text: "404 page not found" });
    expect(unknown.headers.get("content-type")).toBe("text/plain");
    // gin's HandleMethodNotAllowed is off: no 405 on the tenant.
    const wrong = await call(s, "DELETE", "/workspaces", { headers: tenantHeaders(s) });
    expect(wrong).toMatchObject({ status: 404, text: "404 page not found" });
    expect(s.state.requests().at(-1)?.route).toBeNull();
  });

  it("keeps the CP's own JSON 404 and 405 with Allow", async () => {
    const s = await sim();
    expect(await call(s, "GET", "/cp/nope", { headers: provisionHeaders(s) })).toMatchObject({
      status: 404,
      json: { error: "not found" },
    });
    const provision = await call(s, "GET", "/cp/workspaces/provision", { headers: provisionHeaders(s) });
    expect(provision.status).toBe(405);
    expect(provision.headers.get("allow")).toBe("POST, DELETE");
  });

  it("refuses bodies over 1 MiB with 413, before the handler reads them", async () => {
    const s = await sim();
    const ws = s.state.addWorkspace({ status: "provisioning" });
    const big = JSON.stringify({ error: "e", log_tail: "x".repeat(1024 * 1024) });
    const tooBig = await call(s, "POST", `/admin/workspaces/${ws.id}/bootstrap-failed`, {
      headers: { ...tenantHeaders(s), "content-type": "application/json" },
      rawBody: big,
    });
    expect(tooBig).toMatchObject({ status: 413, json: { error: "request body too large" } });
    expect(s.state.workspace(ws.id)?.status).toBe("provisioning");
    const cpMalformed = await call(s, "POST", "/cp/workspaces/provision", {
      headers: provisionHeaders(s),
      rawBody: "{",
    });
    expect(cpMalformed).toMatchObject({ status: 400, json: { error: "request body must be valid JSON" } });
  });

  it("answers 400 for a path with broken percent-encoding (net/http refuses the request line)", async () => {
    const s = await sim();
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${s.url}/workspaces/%E0%A4%A`, { headers: tenantHeaders(s) });
      req.on("response", (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      req.end();
    });
    expect(status).toBe(400);
  });

  it("keeps a bounded request log of the last 1000 requests, stamped on the sim clock", async () => {
    const s = await sim({ workspaces: 1 });
    for (let batch = 0; batch < 21; batch++) {
      await Promise.all(Array.from({ length: 50 }, () => call(s, "GET", "/events", { headers: tenantHeaders(s) })));
    }
    const log = s.state.requests();
    expect(log).toHaveLength(1000);
    expect(log.every((r) => r.route === "tenant.events" && r.status === 200)).toBe(true);
    for (const r of log) expect(Date.parse(r.at) - START).toBeLessThan(60_000);
  });

  it("serves the env the product reads, pointing at itself", async () => {
    const s = await sim({ orgId: "org-acme" });
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(Object.keys(s.env).sort()).toEqual(SIM_ENV_NAMES);
    expect(s.env).toMatchObject({ MOLECULE_ORG_ID: "org-acme", CP_PROVISION_URL: s.url, MOLECULE_TENANT_URL: s.url });
    const secrets = [s.env.MOLECULE_CP_SHARED_SECRET, s.env.CP_ADMIN_API_TOKEN, s.env.ADMIN_TOKEN];
    expect(new Set(secrets).size).toBe(3);
    for (const secret of secrets) expect(secret).toMatch(/^[0-9a-f]{48}$/);
    const other = await startSim({ timing: FAST, startAt: START });
    expect(other.env.ADMIN_TOKEN).not.toBe(s.env.ADMIN_TOKEN);
    await other.close();
  });
});
