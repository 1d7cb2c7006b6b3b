import { describe, expect, it } from "vitest";
import { Redactor } from "../config/redactor";
import { hostileText } from "./hostile-text";
import { describeHits, SecretProbe } from "./secret-probe";

/** Plain heads and tails (a leak at any escaping depth still shows them), odd characters inside. */
const SECRET = 'Kq8vTz3M<adm&n>"tok\\en/+=~Wp5Hx2Lr';
const OTHER = "Rb6nYc1Q-cp-shared-secret-Fd9Gs4Jk";
const probe = new SecretProbe({ adminToken: SECRET, provisionSecret: OTHER });

const b64 = (prefix: string, s: string, alphabet: "base64" | "base64url" = "base64") =>
  Buffer.from(`${prefix}${s}`, "utf8").toString(alphabet);

function found(text: string | Buffer): string[] {
  return probe.find(text, "test").map((h) => `${h.secret}: ${h.form}`);
}

describe("SecretProbe", () => {
  const url = encodeURIComponent(SECRET);
  const json = JSON.stringify(SECRET).slice(1, -1);
  const cases: Array<[string, string]> = [
    ["as is", `x ${SECRET} y`],
    ["first 8", `…X-Molecule-Admin-Token: ${SECRET.slice(0, 8)}`],
    ["last 8", `${SECRET.slice(-8)} rest of the line`],
    ["8 characters of its middle", `x ${SECRET.slice(8, 16)} y`],
    ["its middle, both ends removed", `[redacted]${SECRET.slice(8, -8)}[redacted]`],
    ["url-encoded", `?token=${url}&x=1`],
    ["url-encoded, lower-case hex", `?token=${url.replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase())}`],
    ["json-escaped", `{"token":"${json}"}`],
    [
      "json-escaped (Go)",
      `{"token":"${json.replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026")}"}`,
    ],
    ["json-escaped twice", JSON.stringify(JSON.stringify({ token: SECRET }))],
    ["html-escaped", `<td>${SECRET.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")}</td>`],
    ["base64 at offset 0", `blob ${b64("", SECRET)} end`],
    ["base64 at offset 1", `blob ${b64("a", SECRET)} end`],
    ["base64 at offset 2", `blob ${b64("ab", SECRET)} end`],
    ["base64url at offset 1", `blob ${b64(":", SECRET, "base64url")} end`],
    ["Basic user:secret", `Authorization: Basic ${b64("user:", SECRET)}`],
    ["base64 of a secret's middle, cut", `x ${b64("env=", SECRET.slice(5, 20)).slice(0, 18)} y`],
    [
      "base64 inside a longer encoded value",
      `jwt.${b64("", `{"sub":"ops","tok":"${SECRET}","n":1}`, "base64url")}.sig`,
    ],
  ];
  for (const [name, text] of cases) {
    it(`finds the secret ${name}`, () => {
      const hits = probe.find(text, name);
      expect(hits.length, name).toBeGreaterThan(0);
      expect(hits.every((h) => h.secret === "adminToken" && h.where === name)).toBe(true);
      // The context says where: the text around the match.
      expect(hits[0]!.context.length).toBeGreaterThan(0);
    });
  }

  it("finds secrets in raw bytes (a SQLite page, a WAL frame)", () => {
    const page = Buffer.concat([Buffer.from([0, 1, 2, 0xff, 0x0d]), Buffer.from(`row${OTHER}`), Buffer.alloc(64)]);
    expect(found(page)).toEqual(["provisionSecret: as is"]);
    const wal = Buffer.concat([Buffer.alloc(24, 0xab), Buffer.from(b64("xy", OTHER)), Buffer.alloc(8)]);
    expect(found(wal)[0]).toMatch(/^provisionSecret: base64/);
  });

  it("reports nothing on text without secrets, base64 and escapes included", () => {
    const clean = [
      "workspace 6f1c online since 12:00",
      "[redacted] [redacted] X-Molecule-Admin-Token: [redacted]",
      `Authorization: Basic ${b64("user:", "some-other-password-1234")}`,
      b64("", "x".repeat(300)),
      JSON.stringify({ token: "tok\\en/+=~ not it", url: "%3Cadm%26n%3E" }),
      Buffer.alloc(4096, 0x41).toString("latin1"),
      // 7 characters of the secret are not the secret, wherever they come from.
      `id ${SECRET.slice(0, 7)} and ${SECRET.slice(-7)} and ${SECRET.slice(9, 16)}`,
    ];
    for (const text of clean) expect(found(text), text).toEqual([]);
  });

  it("names each finding once, with the secret's label, the form and the context", () => {
    const hits = probe.find(`A ${SECRET} B`, "stdout of sync");
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ secret: "adminToken", form: "as is", where: "stdout of sync", index: 2 });
    expect(describeHits(hits)).toContain("adminToken (as is) in stdout of sync at 2");
  });

  it("finds every form the hostile upstream plants, and nothing once the Redactor has run", () => {
    const p = hostileText([SECRET, OTHER]);
    const r = new Redactor([SECRET, OTHER]);
    for (const form of p.forms()) {
      expect(probe.find(form).length, form).toBeGreaterThan(0);
      expect(probe.find(r.text(`before ${form} after`)), form).toEqual([]);
    }
    for (let i = 0; i < 12; i++) {
      expect(probe.find(p.prefixCut()).length).toBeGreaterThan(0);
      expect(probe.find(p.suffixCut()).length).toBeGreaterThan(0);
      const text = p.text(`field ${i}`);
      expect(probe.find(r.text(text))).toEqual([]);
      expect(probe.find(p.header(`header ${i}`)).length).toBeGreaterThan(0);
    }
  });
});
