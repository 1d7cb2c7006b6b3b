import { describe, expect, it } from "vitest";
import type { BridgeMessage } from "../core/api/bridge";
import { IPC } from "../core/api/ops-client";
import { createBridge, type PreloadIpc } from "./preload-bridge";

/** ipcRenderer as the preload sees it, recording what goes out and letting the test push items in. */
class RecordingIpc implements PreloadIpc {
  sent: unknown[][] = [];
  invoked: unknown[][] = [];
  private readonly listeners = new Map<string, (event: unknown, ...args: unknown[]) => void>();
  answer: unknown = { ok: true, result: { host: "electron" } };
  async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invoked.push([channel, ...args]);
    return this.answer;
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push([channel, ...args]);
  }
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): void {
    this.listeners.set(channel, listener);
  }
  pathForFile(file: File): string {
    if (!(file instanceof File)) throw new TypeError("not a File");
    return file.name === "from-disk.log" ? "/home/me/from-disk.log" : "";
  }
  push(id: unknown, message: unknown): void {
    this.listeners.get(IPC.item)?.({}, id, message);
  }
}

describe("createBridge", () => {
  it("exposes exactly the four functions of window.moleculeOps", () => {
    const bridge = createBridge(new RecordingIpc());
    expect(Object.keys(bridge).sort()).toEqual(["exportTimeline", "importLog", "invoke", "subscribe"]);
    for (const value of Object.values(bridge)) expect(typeof value).toBe("function");
  });

  it("passes requests and their answers through unchanged", async () => {
    const ipc = new RecordingIpc();
    const bridge = createBridge(ipc);
    expect(await bridge.invoke("app.info", {})).toEqual({ ok: true, result: { host: "electron" } });
    ipc.answer = { ok: false, error: { code: "NotFound", message: "no workspace ws-1" } };
    expect(await bridge.exportTimeline({ filter: {}, format: "csv" })).toEqual(ipc.answer);
    expect(ipc.invoked).toEqual([
      [IPC.invoke, "app.info", {}],
      [IPC.export, { filter: {}, format: "csv" }],
    ]);
  });

  it("routes items to their subscription until it is unsubscribed", () => {
    const ipc = new RecordingIpc();
    const bridge = createBridge(ipc);
    const a: BridgeMessage[] = [];
    const b: BridgeMessage[] = [];
    const stopA = bridge.subscribe("live", {}, (m) => a.push(m));
    bridge.subscribe("restart.progress", { id: "ws-1" }, (m) => b.push(m));
    expect(ipc.sent).toEqual([
      [IPC.subscribe, "s1", "live", {}],
      [IPC.subscribe, "s2", "restart.progress", { id: "ws-1" }],
    ]);
    ipc.push("s1", { item: 1 });
    ipc.push("s2", { item: "two" });
    ipc.push("s9", { item: "nobody's" });
    stopA();
    stopA();
    ipc.push("s1", { item: 3 });
    expect(a).toEqual([{ item: 1 }]);
    expect(b).toEqual([{ item: "two" }]);
    expect(ipc.sent.filter(([channel]) => channel === IPC.unsubscribe)).toEqual([[IPC.unsubscribe, "s1"]]);
  });

  it("delivers an error once and nothing after it", () => {
    const ipc = new RecordingIpc();
    const bridge = createBridge(ipc);
    const got: BridgeMessage[] = [];
    const stop = bridge.subscribe("live", {}, (m) => got.push(m));
    ipc.push("s1", { error: { code: "Upstream", message: "tenant 503" } });
    ipc.push("s1", { item: "late" });
    ipc.push("s1", { error: { code: "Upstream", message: "again" } });
    stop();
    expect(got).toEqual([{ error: { code: "Upstream", message: "tenant 503" } }]);
    expect(ipc.sent.filter(([channel]) => channel === IPC.unsubscribe)).toEqual([]);
  });

  it("ignores malformed item messages", () => {
    const ipc = new RecordingIpc();
    const bridge = createBridge(ipc);
    const got: BridgeMessage[] = [];
    bridge.subscribe("live", {}, (m) => got.push(m));
    for (const message of [null, "x", 7, {}, { other: 1 }]) ipc.push("s1", message);
    ipc.push(1, { item: "id not a string" });
    expect(got).toEqual([]);
  });

  it("suggests a dropped file's disk path to the import dialog, and nothing else", async () => {
    const ipc = new RecordingIpc();
    const bridge = createBridge(ipc);
    await bridge.importLog();
    await bridge.importLog(new File(["x"], "from-disk.log"));
    await bridge.importLog(new File(["x"], "built-in-script.log"));
    await bridge.importLog(Object.assign(new Blob(["x"]), { name: "blob.log" }));
    expect(ipc.invoked).toEqual([
      [IPC.import, undefined],
      [IPC.import, "/home/me/from-disk.log"],
      [IPC.import, undefined],
      [IPC.import, undefined],
    ]);
  });
});
