import { describe, expect, it } from "vitest";
import { SseParser } from "./sse-parser";

describe("SseParser", () => {
  it("yields the data of each event and skips comments", () => {
    const p = new SseParser();
    expect(p.push(': open\n\ndata: {"item":1}\n\n: keep-alive\n\ndata: {"item":2}\n\n')).toEqual([
      '{"item":1}',
      '{"item":2}',
    ]);
  });

  it("joins events cut across chunks, in any place", () => {
    const text = 'data: {"item":"a"}\r\n\r\ndata: {"item":"b"}\n\n';
    for (let cut = 0; cut <= text.length; cut++) {
      const p = new SseParser();
      const out = [...p.push(text.slice(0, cut)), ...p.push(text.slice(cut))];
      expect(out).toEqual(['{"item":"a"}', '{"item":"b"}']);
    }
  });

  it("joins multi-line data with newlines and ignores unknown fields", () => {
    const p = new SseParser();
    expect(p.push("event: x\ndata: one\ndata:two\nid: 3\n\n")).toEqual(["one\ntwo"]);
  });

  it("holds an event until its blank line arrives", () => {
    const p = new SseParser();
    expect(p.push("data: x\n")).toEqual([]);
    expect(p.push("\n")).toEqual(["x"]);
  });
});
