import { expect } from "vitest";
import { OpsError } from "../errors";

/** The error a call fails with; a call that succeeds fails the test. */
export async function failure<E extends Error = Error>(call: Promise<unknown>): Promise<E> {
  try {
    await call;
  } catch (error) {
    return error as E;
  }
  throw new Error("expected the call to fail");
}

/** The OpsError a call fails with; a call that succeeds, or fails with anything else, fails the test. */
export async function opsFailure(call: Promise<unknown>): Promise<OpsError> {
  try {
    await call;
  } catch (error) {
    expect(error).toBeInstanceOf(OpsError);
    return error as OpsError;
  }
  throw new Error("expected an OpsError");
}
