import { describe, expect, it } from "vitest";
import { reconnectDelay } from "./backoff";

describe("reconnectDelay", () => {
  it("doubles up to the ceiling and stays within its upper half", () => {
    expect(reconnectDelay(0, () => 0)).toBe(250);
    expect(reconnectDelay(0, () => 1)).toBe(500);
    expect(reconnectDelay(3, () => 1)).toBe(4000);
    expect(reconnectDelay(50, () => 0)).toBe(7500);
    expect(reconnectDelay(50, () => 1)).toBe(15_000);
  });
});
