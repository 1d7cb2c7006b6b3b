import { describe, expect, it } from "vitest";
import { baseUrlProblem, isLoopbackHost, PROFILE_URL_RULES, parseBaseUrl } from "./base-url";

describe("isLoopbackHost (URL hostnames, as the parser writes them)", () => {
  it.each([
    ["127.0.0.1", true],
    ["127.255.3.4", true],
    ["[::1]", true],
    ["localhost", true],
    ["128.0.0.1", false],
    ["10.0.0.1", false],
    ["localhost.", false],
    ["localhost.evil.example", false],
    ["127.0.0.1.nip.io", false],
    ["[::ffff:7f00:1]", false],
    ["[::2]", false],
    ["", false],
  ])("%s: %s", (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });

  it("sees through the parser's rewriting of loopback addresses", () => {
    for (const url of [
      "http://127.1:8080",
      "http://2130706433/",
      "http://0x7f.1/",
      "http://LocalHost/",
      "http://[0:0::1]/",
    ]) {
      expect(baseUrlProblem(url, PROFILE_URL_RULES)).toBeNull();
    }
  });
});

describe("the profile rule and the environment's", () => {
  it("plain http off loopback: refused for a saved profile, kept for the environment's own URLs", () => {
    expect(baseUrlProblem("http://tenant.example.com", PROFILE_URL_RULES)).toMatch(/must use https/);
    expect(parseBaseUrl("http://tenant.example.com/", "MOLECULE_TENANT_URL")).toBe("http://tenant.example.com");
    expect(() => parseBaseUrl("http://tenant.example.com", "the tenant URL", PROFILE_URL_RULES)).toThrow(
      "the tenant URL must use https (plain http only to this machine: 127.0.0.1, ::1 or localhost)",
    );
  });

  it("refuses an empty query or fragment too: it would end up in every path", () => {
    expect(baseUrlProblem("https://t.example.com/?")).toMatch(/query or a fragment/);
    expect(baseUrlProblem("https://t.example.com/#")).toMatch(/query or a fragment/);
  });
});
