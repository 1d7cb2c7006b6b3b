import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { REDACTED, Redactor } from "./redactor";

const SECRET = "adm-0123456789abcdef0123456789abcdef";
const r = new Redactor([SECRET, "p".repeat(24), undefined, "", "abc"]);

/** What no output may hold: the secret, its first and last 8 characters, and its encodings. */
function leaks(out: string, secret: string): string[] {
  const found: string[] = [];
  const probes = [secret, secret.slice(0, 8), secret.slice(-8), encodeURIComponent(secret)];
  for (const p of probes) if (out.includes(p)) found.push(p);
  for (const text of out.match(/[A-Za-z0-9+/_-]{12,}={0,2}/g) ?? []) {
    for (let k = 0; k < 4; k++) {
      const decoded = Buffer.from(text.slice(k), text.includes("-") || text.includes("_") ? "base64url" : "base64");
      if (decoded.includes(secret.slice(0, 8)) || decoded.includes(secret.slice(-8))) found.push(`base64 ${text}`);
    }
  }
  return found;
}

describe("Redactor", () => {
  it("removes a secret as it is, URL-encoded, JSON-escaped and base64 at any alignment", () => {
    const special = 'tok&en"with/odd<chars>+=';
    const s = new Redactor([special]);
    const b64 = Buffer.from(`user:${special}`).toString("base64");
    const url = encodeURIComponent(special);
    const cases = [
      special,
      url,
      url.toLowerCase(),
      JSON.stringify(special),
      JSON.stringify(special).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026"),
      `Basic ${b64}`,
      Buffer.from(`xx${special}yy`).toString("base64url"),
    ];
    for (const c of cases) {
      const out = s.text(`before ${c} after`);
      expect(out, c).toContain(REDACTED);
      expect(out).not.toContain(special.slice(0, 8));
      expect(out).toMatch(/^before .*after$/);
    }
  });

  it("removes what a cut leaves of a secret: its start at the end of a text, its end at the start", () => {
    const cut = `X-Molecule-Admin-Token: ${SECRET}`.slice(0, 24 + 9);
    expect(cut.endsWith(SECRET.slice(0, 9))).toBe(true);
    expect(r.text(cut)).toBe(`X-Molecule-Admin-Token: ${REDACTED}`);
    expect(r.text(`${SECRET.slice(-12)} rest of the log`)).toBe(`${REDACTED} rest of the log`);
    // Seven characters are not enough to call it the secret.
    expect(r.text(`id ${SECRET.slice(0, 7)}`)).toBe(`id ${SECRET.slice(0, 7)}`);
  });

  it("leaves text without secrets as it was, and redacts an unknown bearer", () => {
    expect(r.text("workspace 6f1c online since 12:00")).toBe("workspace 6f1c online since 12:00");
    expect(r.text('Authorization: Bearer some-other-token"')).toBe(`Authorization: Bearer ${REDACTED}"`);
    expect(new Redactor([]).active).toBe(false);
  });

  it("redacts every string of a JSON value, keys included, keeping its shape", () => {
    const v = { name: `x${SECRET}`, n: 3, list: [SECRET, null, true], [SECRET]: { deep: `${SECRET.slice(0, 10)}` } };
    expect(r.value(v)).toEqual({
      name: `x${REDACTED}`,
      n: 3,
      list: [REDACTED, null, true],
      [REDACTED]: { deep: REDACTED },
    });
  });

  it("leaves nothing of the secret in any text that embeds it, in any form, cut anywhere after 8 characters", () => {
    const secretArb = fc.stringMatching(/^[A-Za-z0-9_.:\-+/=]{12,48}$/);
    const form = fc.constantFrom("raw", "url", "json", "b64", "b64url", "basic");
    fc.assert(
      fc.property(secretArb, form, fc.string(), fc.string(), fc.nat(), (secret, how, before, after, cutAt) => {
        const encoded =
          how === "raw"
            ? secret
            : how === "url"
              ? encodeURIComponent(secret)
              : how === "json"
                ? JSON.stringify(secret).slice(1, -1)
                : how === "b64"
                  ? Buffer.from(secret).toString("base64")
                  : how === "b64url"
                    ? Buffer.from(`k${secret}`).toString("base64url")
                    : Buffer.from(`user:${secret}`).toString("base64");
        const whole = `${before} ${encoded} ${after}`;
        // A cut somewhere after the first 8 characters of the encoded secret.
        const start = before.length + 1;
        const cut = whole.slice(0, start + 8 + (cutAt % Math.max(1, encoded.length - 7)));
        const redactor = new Redactor([secret]);
        for (const text of [whole, cut]) {
          const out = redactor.text(text);
          expect(leaks(out, secret)).toEqual([]);
        }
      }),
      { numRuns: 400 },
    );
  });
});

describe("secrets whose encoded forms start (or end) like the secret itself", () => {
  // Its URL-encoded and Go-escaped forms share the first 8 characters and more: replacing one
  // form before searching the next let the encoded form's head eat the secret's start and leave
  // its middle ("<adm&n>\"tok") behind.
  const odd = 'Kq8vTz3M<adm&n>"tok\\en/+=~Wp5Hx2Lr';
  const shared = "Gh5rLs9D-provision&secret=%41/9Yk3Qe";
  const ro = new Redactor([odd, shared]);

  it("removes the secret whole, as is and in each form, leaving none of its middle", () => {
    for (const s of [odd, shared]) {
      const json = JSON.stringify(s).slice(1, -1);
      for (const form of [s, encodeURIComponent(s), json, `Bearer ${s}`]) {
        expect(ro.text(`a ${form} b`), form).toBe(`a ${form.startsWith("Bearer") ? "Bearer " : ""}${REDACTED} b`);
      }
    }
  });

  it("removes a cut secret whole, however much of it is left", () => {
    for (let n = 8; n <= shared.length; n++) {
      expect(ro.text(`x ${shared.slice(0, n)}`), `first ${n}`).toBe(`x ${REDACTED}`);
      expect(ro.text(`${shared.slice(-n)} y`), `last ${n}`).toBe(`${REDACTED} y`);
      expect(ro.text(`x ${odd.slice(0, Math.min(n, odd.length))}`), `first ${n}`).toBe(`x ${REDACTED}`);
    }
  });
});
