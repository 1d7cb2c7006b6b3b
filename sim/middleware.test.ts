import { describe, expect, it } from "vitest";
import { call, orgHeaders, simsAtStart, tenantHeaders } from "./test-support";

const sim = simsAtStart();

describe("the SaaS edge (saasEdge)", () => {
  it("answers /workspaces and /workspaces/* without an Origin with the web UI's empty 404, before anything else", async () => {
    const s = await sim({ saasEdge: true });
    const { origin: _, ...noOrigin } = tenantHeaders(s);
    const ws = s.state.workspaces()[0]?.id ?? "";
    for (const path of ["/workspaces", `/workspaces/${ws}`, `/workspaces/${ws}/console`]) {
      const res = await call(s, "GET", path, { headers: noOrigin });
      expect(res.status, path).toBe(404);
      expect(res.text).toBe("");
      expect(res.headers.get("content-type")).toMatch(/^text\/html/);
      // In front of the platform: not even the rate limiter or the security headers saw it.
      expect(res.headers.get("x-frame-options")).toBeNull();
    }
    expect((await call(s, "GET", "/workspaces", { headers: tenantHeaders(s) })).status).toBe(200);
    // Only the /workspaces family is routed that way.
    expect((await call(s, "GET", "/events", { headers: noOrigin })).status).toBe(200);
  });

  it("is off by default", async () => {
    const s = await sim();
    const { origin: _, ...noOrigin } = tenantHeaders(s);
    expect((await call(s, "GET", "/workspaces", { headers: noOrigin })).status).toBe(200);
  });
});

describe("CORS (gin-contrib/cors as router.go configures it)", () => {
  it("refuses an Origin that is neither the request's own nor configured: 403, empty, before the org guard and auth", async () => {
    const s = await sim();
    for (const origin of ["http://evil.example", "http://localhost:9999", new URL(s.url).origin.toUpperCase()]) {
      const res = await call(s, "GET", "/workspaces", { headers: { origin } });
      expect(res.status, origin).toBe(403);
      expect(res.text).toBe("");
      expect(res.headers.get("content-type")).toBeNull();
    }
    // Its own origin, with http or https, is not a CORS request at all.
    const host = new URL(s.url).host;
    for (const origin of [`http://${host}`, `https://${host}`]) {
      const res = await call(s, "GET", "/workspaces", { headers: { ...tenantHeaders(s), origin } });
      expect(res.status).toBe(200);
      expect(res.headers.get("access-control-allow-origin")).toBeNull();
    }
  });

  it("serves a configured origin (the defaults are the local canvas) with the allow headers, and answers its preflight", async () => {
    const s = await sim();
    const local = { ...tenantHeaders(s), origin: "http://localhost:3000" };
    const res = await call(s, "GET", "/workspaces", { headers: local });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("http://localhost:3000");
    expect(res.headers.get("access-control-allow-credentials")).toBe("true");
    expect(res.headers.get("vary")).toBe("Origin");
    // A preflight is answered by the CORS middleware itself: no org header needed.
    const preflight = await call(s, "OPTIONS", "/workspaces", { headers: { origin: "http://localhost:3001" } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-methods")).toBe("GET,POST,PUT,PATCH,DELETE,OPTIONS");
    expect(preflight.headers.get("access-control-allow-headers")).toBe(
      "Origin,Content-Type,X-Workspace-Id,Authorization",
    );

    const custom = await sim({ corsOrigins: ["https://canvas.example.com"] });
    const allowed = { ...tenantHeaders(custom), origin: "https://canvas.example.com" };
    expect((await call(custom, "GET", "/workspaces", { headers: allowed })).status).toBe(200);
    expect(
      (await call(custom, "GET", "/workspaces", { headers: { ...allowed, origin: "http://localhost:3000" } })).status,
    ).toBe(403);
  });
});

describe("the rate limiter (middleware/ratelimit.go)", () => {
  it("counts every request per client IP and answers 429 with Retry-After once the minute's bucket is empty", async () => {
    const s = await sim({ rateLimit: 3 });
    // The bucket fills at the first request: the wait left at the 429 is a minute less the time
    // between the two, whole seconds (59 or 60 unless a loaded machine took a second over them).
    const first = s.now();
    const seen: Array<[number, string | null, string | null]> = [];
    for (let i = 0; i < 3; i++) {
      const res = await call(s, "GET", "/workspaces", { headers: tenantHeaders(s) });
      seen.push([res.status, res.headers.get("x-ratelimit-limit"), res.headers.get("x-ratelimit-remaining")]);
      expect(Number(res.headers.get("x-ratelimit-reset"))).toBeLessThanOrEqual(60);
    }
    expect(seen).toEqual([
      [200, "3", "2"],
      [200, "3", "1"],
      [200, "3", "0"],
    ]);
    const limited = await call(s, "GET", "/workspaces/nope", { headers: tenantHeaders(s) });
    const answered = s.now();
    expect(limited.status).toBe(429);
    const wait = Number(limited.headers.get("retry-after"));
    expect(wait).toBeGreaterThanOrEqual(Math.min(59, Math.trunc((first + 60_000 - answered) / 1000)));
    expect(wait).toBeLessThanOrEqual(60);
    expect(limited.text).toBe(`{"error":"rate limit exceeded","retry_after":${wait}}`);
    expect(limited.headers.get("x-ratelimit-remaining")).toBe("0");
    // The CP is another server: not counted, not limited.
    expect((await call(s, "GET", "/cp/workspaces/x/status?instance_id=i-0123abcd")).status).toBe(401);
  });

  it("runs after CORS and before the org guard: a refused org still spends a token and carries the headers", async () => {
    const s = await sim({ rateLimit: 2 });
    const wrongOrg = await call(s, "GET", "/workspaces", {
      headers: { ...tenantHeaders(s), "x-molecule-org-id": "org-x" },
    });
    expect(wrongOrg.status).toBe(404);
    expect(wrongOrg.headers.get("x-ratelimit-remaining")).toBe("1");
    const foreign = await call(s, "GET", "/workspaces", { headers: { origin: "http://evil.example" } });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get("x-ratelimit-limit")).toBeNull();
    expect((await call(s, "GET", "/workspaces", { headers: orgHeaders(s) })).status).toBe(401);
    expect((await call(s, "GET", "/health")).status).toBe(429);
  });

  it("is off by default (no headers), and says 'unlimited' in the platform's dev mode (no ADMIN_TOKEN)", async () => {
    const s = await sim();
    expect(
      (await call(s, "GET", "/workspaces", { headers: tenantHeaders(s) })).headers.get("x-ratelimit-limit"),
    ).toBeNull();
    const dev = await sim({ rateLimit: 1, secrets: { adminToken: "" } });
    for (let i = 0; i < 3; i++) {
      const res = await call(dev, "GET", "/workspaces", { headers: orgHeaders(dev) });
      expect(res.status).toBe(200);
      expect(res.headers.get("x-ratelimit-limit")).toBe("unlimited");
    }
  });
});
