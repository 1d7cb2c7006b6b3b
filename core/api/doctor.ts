import { z } from "zod";
import { OpsError } from "../errors";
import { diagnose } from "../ops/doctor";
import { actOnFinding } from "../ops/doctor-actions";
import { noInput, via } from "./input-rules";
import type { HandlersOf } from "./schemas";
import type { Sessions } from "./sessions";

export const doctorRequests = {
  "doctor.run": noInput,
  "doctor.act": z
    .object({
      finding: z.string().regex(/^[0-9a-f]{10}$/, "must be a finding id"),
      via: via.optional(),
    })
    .strict(),
} as const;

/** The doctor's report on the active profile, and an action on one of its findings. */
export function doctorHandlers(sessions: Sessions): HandlersOf<keyof typeof doctorRequests> {
  return {
    "doctor.run": async () => {
      const s = await sessions.current();
      return diagnose({
        store: s.store,
        tenant: s.tenant,
        cp: s.cp,
        readConsole: s.readConsole,
        concurrency: sessions.o.profiles.read().settings.concurrency,
      });
    },
    "doctor.act": async ({ finding, via }) => {
      const s = await sessions.current();
      // The finding is looked up afresh: an action is never taken on a stale report.
      const report = await diagnose({ store: s.store, tenant: s.tenant, cp: s.cp, readConsole: s.readConsole });
      const f = report.findings.find((x) => x.id === finding);
      if (!f) throw new OpsError("NotFound", `finding ${finding} is no longer present: run the doctor again`);
      return actOnFinding(
        f,
        { store: s.store, tenant: s.tenant, cp: s.cp, restarts: s.restarts, readConsole: s.readConsole },
        via ?? "tenant",
      );
    },
  };
}
