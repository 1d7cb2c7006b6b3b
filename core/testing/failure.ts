/** The error a call fails with; a call that succeeds fails the test. */
export async function failure<E extends Error = Error>(call: Promise<unknown>): Promise<E> {
  try {
    await call;
  } catch (error) {
    return error as E;
  }
  throw new Error("expected the call to fail");
}
