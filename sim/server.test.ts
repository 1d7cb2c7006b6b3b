import { afterEach, describe, expect, it } from "vitest";
import { type Sim, startSim } from "./index";
import { call, FAST, provisionHeaders, tenantHeaders } from "./test-support";

let s: Sim;
afterEach(async () => {
  await s.close();
});

describe("HTTP plumbing", () => {
  it("answers unknown routes 404 JSON and wrong methods 405 with Allow", async () => {
    s = await startSim({ timing: FAST });
    const unknown = await call(s, "GET", "/nope", { headers: tenantHeaders(s) });
    expect(unknown).toMatchObject({ status: 404, json: { error: "not found" } });
    expect(unknown.headers.get("content-type")).toMatch(/^application\/json/);
    const wrong = await call(s, "DELETE", "/workspaces", { headers: tenantHeaders(s) });
    expect(wrong).toMatchObject({ status: 405, json: { error: "method not allowed" } });
    expect(wrong.headers.get("allow")).toBe("GET");
    const provision = await call(s, "GET", "/cp/workspaces/provision", { headers: provisionHeaders(s) });
    expect(provision.status).toBe(405);
    expect(provision.headers.get("allow")).toBe("POST, DELETE");
    expect(s.state.requests().at(-1)?.route).toBeNull();
  });

  it("refuses bodies over 1 MiB with 413 and malformed JSON with 400", async () => {
    s = await startSim({ timing: FAST });
    const ws = s.state.addWorkspace({ status: "provisioning" });
    const path = `/admin/workspaces/${ws.id}/bootstrap-failed`;
    const big = JSON.stringify({ error: "e", log_tail: "x".repeat(1024 * 1024) });
    const tooBig = await call(s, "POST", path, {
      headers: { ...tenantHeaders(s), "content-type": "application/json" },
      rawBody: big,
    });
    expect(tooBig).toMatchObject({ status: 413, json: { error: "request body too large" } });
    const malformed = await call(s, "POST", path, { headers: tenantHeaders(s), rawBody: '{"error": "e",' });
    expect(malformed).toMatchObject({ status: 400, json: { error: "request body must be valid JSON" } });
    expect(s.state.workspace(ws.id)?.status).toBe("provisioning");
  });

  it("answers 400 for a path with broken percent-encoding", async () => {
    s = await startSim({ timing: FAST });
    expect((await call(s, "GET", "/workspaces/%E0%A4%A", { headers: tenantHeaders(s) })).status).toBe(400);
  });

  it("keeps a bounded request log of the last 1000 requests", async () => {
    s = await startSim({ timing: FAST, workspaces: 1 });
    for (let batch = 0; batch < 21; batch++) {
      await Promise.all(Array.from({ length: 50 }, () => call(s, "GET", "/events", { headers: tenantHeaders(s) })));
    }
    const log = s.state.requests();
    expect(log).toHaveLength(1000);
    expect(log.every((r) => r.route === "tenant.events" && r.status === 200)).toBe(true);
  });

  it("serves the env the product reads, pointing at itself", async () => {
    s = await startSim({ timing: FAST, orgId: "org-acme" });
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(Object.keys(s.env).sort()).toEqual(
      [
        "ADMIN_TOKEN",
        "CP_ADMIN_API_TOKEN",
        "CP_PROVISION_URL",
        "MOLECULE_CP_SHARED_SECRET",
        "MOLECULE_ORG_ID",
        "MOLECULE_TENANT_URL",
      ].sort(),
    );
    expect(s.env).toMatchObject({ MOLECULE_ORG_ID: "org-acme", CP_PROVISION_URL: s.url, MOLECULE_TENANT_URL: s.url });
    const secrets = [s.env.MOLECULE_CP_SHARED_SECRET, s.env.CP_ADMIN_API_TOKEN, s.env.ADMIN_TOKEN];
    expect(new Set(secrets).size).toBe(3);
    for (const secret of secrets) expect(secret).toMatch(/^[0-9a-f]{48}$/);
    const other = await startSim({ timing: FAST });
    expect(other.env.ADMIN_TOKEN).not.toBe(s.env.ADMIN_TOKEN);
    await other.close();
  });
});
