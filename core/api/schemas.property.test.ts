import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerRequest } from "./dispatch";
import type { OpsService } from "./ops-service";
import { serviceIn } from "./ops-service.testkit";
import { requestInputs } from "./schemas";

let dir: string;
let service: OpsService;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "schema-props-"));
  // No profile at all: a valid input reaches the service and gets its Config answer.
  service = serviceIn(dir);
});
afterAll(async () => {
  await service.close();
  rmSync(dir, { recursive: true, force: true });
});

const names = Object.keys(requestInputs);

describe("API inputs from an untrusted renderer", () => {
  it("any value for any request name is answered, never thrown, and refused unless its schema accepts it", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constantFrom(...names), fc.string({ maxLength: 30 })),
        fc.oneof(fc.anything(), fc.record({ id: fc.string({ maxLength: 200 }) }), fc.object()),
        async (name, input) => {
          const answer = await answerRequest(service, name, input);
          expect(typeof answer.ok).toBe("boolean");
          if (answer.ok) return;
          expect(answer.error.message.length).toBeLessThanOrEqual(501);
          expect(answer.error.message).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
          const schema = Object.hasOwn(requestInputs, name)
            ? (requestInputs as Record<string, { safeParse(v: unknown): { success: boolean } }>)[name]
            : undefined;
          if (!schema) expect(answer.error.code).toBe("NotFound");
          else if (!schema.safeParse(input ?? {}).success) expect(answer.error.code).toBe("Input");
        },
      ),
      { numRuns: 400 },
    );
  });
});
