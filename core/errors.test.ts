import { describe, expect, it } from "vitest";
import { ERROR_CODES, type ErrorCode, httpStatusOf, OpsError } from "./errors";

describe("the error codes", () => {
  it("map to the HTTP statuses the browser host has always answered", () => {
    const expected: Record<ErrorCode, number> = {
      Input: 400,
      Usage: 400,
      Unauthorized: 401,
      Forbidden: 403,
      NotFound: 404,
      Conflict: 409,
      Gone: 410,
      Config: 412,
      NoBackend: 412,
      Upstream: 502,
      Transport: 502,
      Decode: 502,
      Timeout: 504,
      Cancelled: 500,
      Store: 500,
      Internal: 500,
      HostUnreachable: 500,
    };
    for (const code of Object.keys(ERROR_CODES) as ErrorCode[]) expect(httpStatusOf(code), code).toBe(expected[code]);
    expect(httpStatusOf("NoSuchCode")).toBe(500);
    expect(httpStatusOf("toString")).toBe(500);
  });

  it("an OpsError carries only its code and safe message across a boundary", () => {
    const e = new OpsError("Upstream", "tenant answered 503", { status: 503, cause: new Error("raw body") });
    expect(JSON.parse(JSON.stringify(e))).toEqual({ code: "Upstream", message: "tenant answered 503", status: 503 });
  });
});
