import { describe, expect, it } from "vitest";
import { compareUtf8, formatGoJson, ProvlogMarshalError, quoteGoString } from "./go-json";

function marshalError(value: unknown): string {
  try {
    formatGoJson(value);
  } catch (err) {
    expect(err).toBeInstanceOf(ProvlogMarshalError);
    return (err as Error).message;
  }
  throw new Error("expected a ProvlogMarshalError");
}

describe("formatGoJson", () => {
  it("sorts keys at every level, like Go's map encoding", () => {
    expect(formatGoJson({ z: 1, a: { y: true, b: null }, m: [{ d: 1, c: 2 }] })).toBe(
      '{"a":{"b":null,"y":true},"m":[{"c":2,"d":1}],"z":1}',
    );
  });

  it("sorts in UTF-8 byte order, not UTF-16 unit order", () => {
    // U+E000 is below U+1F600 in UTF-8; in UTF-16 units the surrogate 0xD83D sorts first.
    expect(formatGoJson({ "\u{1f600}": 2, "\ue000": 1, B: 0, a: 0, "": 3 })).toBe(
      '{"":3,"B":0,"a":0,"\ue000":1,"\u{1f600}":2}',
    );
    expect(compareUtf8("ab", "a")).toBeGreaterThan(0);
    expect(compareUtf8("a", "a")).toBe(0);
  });

  it("escapes <, >, & and U+2028/U+2029 as Go's HTML-safe encoder does", () => {
    expect(formatGoJson({ html: "<a href='x'>&amp;</a>", ls: "a\u2028b\u2029c" })).toBe(
      String.raw`{"html":"\u003ca href='x'\u003e\u0026amp;\u003c/a\u003e","ls":"a\u2028b\u2029c"}`,
    );
  });

  it("escapes control characters with Go's short forms and lower-case hex", () => {
    // DEL (U+007F) is printable to Go's encoder and stays raw.
    expect(quoteGoString('"\\\n\r\t\b\f\u0001\u001f\u007f')).toBe('"\\"\\\\\\n\\r\\t\\b\\f\\u0001\\u001f\u007f"');
  });

  it("escapes keys the same way as values", () => {
    expect(formatGoJson({ "a<b": 1 })).toBe(String.raw`{"a\u003cb":1}`);
  });

  it("keeps valid surrogate pairs and replaces lone surrogates with \\ufffd like Go's invalid UTF-8", () => {
    expect(formatGoJson("\u{1f600}")).toBe('"\u{1f600}"');
    expect(formatGoJson("a\ud800b\udc00")).toBe(String.raw`"a\ufffdb\ufffd"`);
  });

  it("writes numbers as Go writes float64", () => {
    expect(formatGoJson([0, 2, -3.5, 1e21, 1e-7, 0.000001, 123456789012, -0])).toBe(
      "[0,2,-3.5,1e+21,1e-7,0.000001,123456789012,-0]",
    );
  });

  it("writes arrays as they are, with undefined as null", () => {
    expect(formatGoJson([3, "b", [1], undefined, null])).toBe('[3,"b",[1],null,null]');
  });

  it("omits undefined properties and writes null", () => {
    expect(formatGoJson({ a: undefined, b: null })).toBe('{"b":null}');
    expect(formatGoJson(undefined)).toBe("null");
    expect(formatGoJson(null)).toBe("null");
  });

  it("writes Dates as Go's time.Time: RFC 3339, fraction without trailing zeros", () => {
    expect(formatGoJson(new Date(Date.UTC(2026, 4, 5, 12, 30, 11)))).toBe('"2026-05-05T12:30:11Z"');
    expect(formatGoJson(new Date(Date.UTC(2026, 4, 5, 12, 30, 11, 120)))).toBe('"2026-05-05T12:30:11.12Z"');
    expect(formatGoJson(new Date(Date.UTC(2026, 4, 5, 12, 30, 11, 7)))).toBe('"2026-05-05T12:30:11.007Z"');
    expect(formatGoJson({ at: new Date(Date.UTC(2026, 0, 1)) })).toBe('{"at":"2026-01-01T00:00:00Z"}');
  });

  it("rejects Dates Go could not write", () => {
    expect(marshalError(new Date(Number.NaN))).toBe("json: unsupported value: Invalid Date");
    expect(marshalError(new Date(Date.UTC(10000, 0, 1)))).toMatch(/year outside of range \[0,9999\]/);
  });

  it("uses toJSON once and marshals its result with sorted keys", () => {
    const inner = { toJSON: () => ({ z: 1, a: 2 }) };
    expect(formatGoJson({ x: inner })).toBe('{"x":{"a":2,"z":1}}');
    expect(formatGoJson({ toJSON: (key: string) => `key=${key}` })).toBe('"key="');
  });

  it("wraps a throwing toJSON as a marshal error", () => {
    const bad = {
      toJSON() {
        throw new Error("boom");
      },
    };
    expect(marshalError({ bad })).toBe("json: error calling MarshalJSON: boom");
  });

  it("wraps a throwing getter as a marshal error", () => {
    const obj = {
      get x(): number {
        throw new Error("getter");
      },
    };
    expect(marshalError(obj)).toMatch(/getter/);
  });

  it("writes byte arrays as base64 like Go's []byte, other views as arrays", () => {
    expect(formatGoJson({ b: Buffer.from("hi!") })).toBe('{"b":"aGkh"}');
    expect(formatGoJson(new Uint8Array([0, 255]))).toBe('"AP8="');
    expect(formatGoJson(new Int16Array([-1, 2]))).toBe("[-1,2]");
  });

  it("writes string-keyed Maps as objects and Sets as arrays", () => {
    expect(
      formatGoJson(
        new Map<string, unknown>([
          ["b", 1],
          ["a", new Set([1, 2])],
        ]),
      ),
    ).toBe('{"a":[1,2],"b":1}');
    expect(marshalError(new Map([[1, 1]]))).toBe("json: unsupported type: map with number keys");
  });

  it("unboxes boxed primitives", () => {
    expect(formatGoJson([new Number(1), new String("s"), new Boolean(false)])).toBe('[1,"s",false]');
  });

  it("fails with Go's messages on unsupported values", () => {
    expect(marshalError({ n: 10n })).toBe("json: unsupported type: bigint");
    expect(marshalError({ n: Number.NaN })).toBe("json: unsupported value: NaN");
    expect(marshalError({ n: Number.POSITIVE_INFINITY })).toBe("json: unsupported value: +Inf");
    expect(marshalError({ n: Number.NEGATIVE_INFINITY })).toBe("json: unsupported value: -Inf");
    expect(marshalError({ f: () => 1 })).toBe("json: unsupported type: func");
    expect(marshalError([Symbol("s")])).toBe("json: unsupported type: symbol");
  });

  it("fails on cycles but not on shared references", () => {
    const a: Record<string, unknown> = { name: "a" };
    a.self = a;
    expect(marshalError({ a })).toBe("json: unsupported value: encountered a cycle via object");
    const arr: unknown[] = [];
    arr.push({ arr });
    expect(marshalError(arr)).toBe("json: unsupported value: encountered a cycle via object");
    const shared = { k: 1 };
    expect(formatGoJson({ x: shared, y: shared, z: [shared, shared] })).toBe(
      '{"x":{"k":1},"y":{"k":1},"z":[{"k":1},{"k":1}]}',
    );
  });

  it("fails instead of overflowing the stack on absurd nesting", () => {
    let deep: unknown = 1;
    for (let i = 0; i < 5000; i++) deep = [deep];
    expect(marshalError(deep)).toMatch(/nesting deeper than/);
  });

  it("agrees with JSON.parse on what it wrote", () => {
    const value = { s: 'a\nb<>&\u2028"\\', n: [1.5, -2, 1e300], o: { t: true, f: false, z: null } };
    expect(JSON.parse(formatGoJson(value))).toEqual(value);
  });
});
