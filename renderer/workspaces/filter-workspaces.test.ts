import { describe, expect, it } from "vitest";
import type { WorkspaceView } from "../../core/api/views";
import { workspace } from "../testkit/fixtures";
import { filterChoices, filterWorkspaces, NO_FILTERS, sortWorkspaces } from "./filter-workspaces";

/** An online langgraph workspace named as its id, with no instance on file. */
function ws(id: string, patch: Partial<WorkspaceView> = {}): WorkspaceView {
  return workspace(id, {
    name: id,
    asOf: "2026-11-29T10:00:00.000Z",
    runtime: "langgraph",
    tier: 1,
    instanceId: null,
    instanceCurrent: false,
    lastHeartbeatAt: null,
    ...patch,
  });
}

const rows = [
  ws("a", { name: "billing-auditor-10", status: "failed", runtime: "codex", tier: 2, instanceId: "i-0aa" }),
  ws("b", { name: "billing-auditor-9", status: "quarantined", runtime: "hermes", tier: 3 }),
  ws("c", { name: "research-writer", status: "uncertain", tier: 4, instanceId: "i-0cc" }),
  ws("d", { name: null, status: "online", runtime: null, tier: null }),
];

describe("filterWorkspaces", () => {
  it("matches every word anywhere in name, id, instance, runtime and status", () => {
    expect(filterWorkspaces(rows, { ...NO_FILTERS, text: "billing 10" }).map((r) => r.id)).toEqual(["a"]);
    expect(filterWorkspaces(rows, { ...NO_FILTERS, text: "I-0CC" }).map((r) => r.id)).toEqual(["c"]);
    expect(filterWorkspaces(rows, { ...NO_FILTERS, text: "  " })).toHaveLength(4);
  });

  it("filters by status (unknown ones too), runtime and tier", () => {
    expect(filterWorkspaces(rows, { ...NO_FILTERS, status: "quarantined" }).map((r) => r.id)).toEqual(["b"]);
    expect(filterWorkspaces(rows, { ...NO_FILTERS, runtime: "codex" }).map((r) => r.id)).toEqual(["a"]);
    expect(filterWorkspaces(rows, { ...NO_FILTERS, tier: "4" }).map((r) => r.id)).toEqual(["c"]);
  });
});

describe("sortWorkspaces", () => {
  it("sorts names numerically and falls back to the id for a missing name", () => {
    expect(sortWorkspaces(rows, { key: "name", dir: "asc" }).map((r) => r.id)).toEqual(["b", "a", "d", "c"]);
    expect(sortWorkspaces(rows, { key: "name", dir: "desc" }).map((r) => r.id)).toEqual(["c", "d", "a", "b"]);
  });

  it("puts the most urgent status first and unknown statuses after known ones", () => {
    expect(sortWorkspaces(rows, { key: "status", dir: "asc" }).map((r) => r.status)).toEqual([
      "failed",
      "uncertain",
      "online",
      "quarantined",
    ]);
  });

  it("keeps empty values last in both directions", () => {
    expect(
      sortWorkspaces(rows, { key: "instanceId", dir: "asc" })
        .map((r) => r.id)
        .slice(0, 2),
    ).toEqual(["a", "c"]);
    expect(
      sortWorkspaces(rows, { key: "instanceId", dir: "desc" })
        .map((r) => r.id)
        .slice(0, 2),
    ).toEqual(["c", "a"]);
    expect(sortWorkspaces(rows, { key: "tier", dir: "desc" }).map((r) => r.id)).toEqual(["c", "b", "a", "d"]);
  });
});

describe("filterChoices", () => {
  it("offers the known statuses and runtimes, then the others present, with counts", () => {
    const c = filterChoices(rows, ["online", "failed", "uncertain"], ["codex"]);
    expect(c.statuses).toEqual(["online", "failed", "uncertain", "quarantined"]);
    expect(c.runtimes).toEqual(["codex", "hermes", "langgraph"]);
    expect(c.counts.get("online")).toBe(1);
  });
});

describe("sortWorkspaces at scale", () => {
  it("sorts 10,000 rows quickly", () => {
    const many = Array.from({ length: 10_000 }, (_, i) => ({
      ...rows[0],
      id: `id-${i}`,
      name: `name-${(i * 7919) % 10_000}`,
    }));
    const t0 = performance.now();
    const sorted = sortWorkspaces(many as never, { key: "name", dir: "asc" });
    expect(performance.now() - t0).toBeLessThan(200);
    expect(sorted[0]?.name).toBe("name-0");
    expect(sorted[9999]?.name).toBe("name-9999");
  });
});
