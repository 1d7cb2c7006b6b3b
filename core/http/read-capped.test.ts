import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { readCapped } from "./read-capped";

describe("readCapped", () => {
  it("reads a body up to its end, or up to the cap and then stops reading", async () => {
    expect((await readCapped(Readable.from([Buffer.from("ab"), Buffer.from("cd")]), 10)).toString()).toBe("abcd");
    let pulled = 0;
    const endless = new Readable({
      read() {
        pulled++;
        this.push(Buffer.alloc(1024, 120));
      },
    });
    const head = await readCapped(endless, 2500);
    expect(head.length).toBe(2500);
    expect(endless.destroyed).toBe(true);
    expect(pulled).toBeLessThan(10);
  });

  it("answers at once for a body that was destroyed or ended before it was read", async () => {
    const aborted = new Readable({ read() {} });
    aborted.on("error", () => {});
    aborted.destroy(Object.assign(new Error("aborted by the deadline"), { name: "AbortError" }));
    await new Promise((r) => setImmediate(r));
    await expect(readCapped(aborted, 100)).rejects.toThrow(/aborted by the deadline/);

    const closed = new Readable({ read() {} });
    closed.destroy();
    await new Promise((r) => setImmediate(r));
    await expect(readCapped(closed, 100)).rejects.toMatchObject({ code: "ERR_STREAM_PREMATURE_CLOSE" });

    const empty = Readable.from([]);
    empty.resume();
    await new Promise((r) => empty.once("end", r));
    expect((await readCapped(empty, 100)).length).toBe(0);
  });

  it("reports a peer that goes away mid-body", async () => {
    const body = new Readable({ read() {} });
    body.push(Buffer.from("partial"));
    const reading = readCapped(body, 100);
    setImmediate(() => body.destroy());
    await expect(reading).rejects.toMatchObject({ code: "ERR_STREAM_PREMATURE_CLOSE" });
  });
});
