import { randomUUID } from "node:crypto";
import { resolve } from "node:path";
import { OpsError } from "../../core/errors";
import { parseFaultSpec, type Sim, type SimOptions, startSim } from "../../sim";
import { injectProblems } from "../../sim/problems";
import { intFlag, stringFlag } from "../command-line";
import type { CommandContext } from "../context";
import { EXIT_OK } from "../exit-codes";
import { printJson, printLine } from "../output";
import type { Command } from "./command";

export const simCommand: Command = {
  name: "sim",
  usage:
    "sim [--port P] [--workspaces N] [--seed S] [--flapping N] [--problems] [--start-at ISO] [--log FILE] " +
    "[--saas-edge] [--cors-origin O ...] [--rate-limit N] [--heartbeat-ms N] [--chat-ms N] [--auto-restart] " +
    "[--fault ROUTE=KIND ...] [--json]\n" +
    "  --fault examples: cp.status=503, cp.stop=503x2, cp.console=slow:5000, tenant.ws=drop:3000,\n" +
    "    tenant.list=429x2 (the platform's rate-limit answer: Retry-After: 1 and\n" +
    '    {"error":"rate limit exceeded","retry_after":1}, twice), tenant.events=429:5 (Retry-After: 5)',
  summary: "Run the emulated control plane + tenant on 127.0.0.1 and print the env to point the tool at it",
  flags: {
    port: { type: "string" },
    workspaces: { type: "string" },
    seed: { type: "string" },
    flapping: { type: "string" },
    problems: { type: "boolean" },
    fault: { type: "string", multiple: true },
    "start-at": { type: "string" },
    log: { type: "string" },
    "saas-edge": { type: "boolean" },
    "cors-origin": { type: "string", multiple: true },
    "rate-limit": { type: "string" },
    "heartbeat-ms": { type: "string" },
    "chat-ms": { type: "string" },
    "auto-restart": { type: "boolean" },
  },
  async run(ctx: CommandContext) {
    if (ctx.parsed.positionals.length > 0) throw new OpsError("Usage", "sim takes no arguments");
    const faults = ((ctx.parsed.flags.fault as string[] | undefined) ?? []).map((spec) => {
      try {
        return parseFaultSpec(spec);
      } catch (error) {
        throw new OpsError("Usage", `--fault ${spec}: ${(error as Error).message}`);
      }
    });
    const options = readOptions(ctx);
    let sim: Sim;
    try {
      sim = await startSim(options);
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      throw new OpsError("Input", `the emulator could not start: ${code ?? (cause as Error).message}`, { cause });
    }
    for (const f of faults) sim.faults.set(f.route, f.fault, f.times === undefined ? {} : { times: f.times });
    // For `doctor` to find: a malformed binding (in the log), a crashed boot stuck in provisioning,
    // a workspace whose status checks fail, and (after 20 s, once it was seen live) an orphan.
    const problems = ctx.parsed.flags.problems === true ? injectProblems(sim.state, 20_000) : null;
    announce(sim, options.logFile ?? null, ctx.json);
    await untilInterrupted();
    problems?.cancel();
    await sim.close();
    return EXIT_OK;
  },
};

/** Every flag read before starting: a bad value is a usage error, not a failure to listen. */
function readOptions(ctx: CommandContext): SimOptions {
  const heartbeatMs = intFlag(ctx.parsed, "heartbeat-ms", 0, 86_400_000);
  const chatMs = intFlag(ctx.parsed, "chat-ms", 0, 86_400_000);
  const log = stringFlag(ctx.parsed, "log");
  const corsOrigins = ctx.parsed.flags["cors-origin"] as string[] | undefined;
  return {
    port: intFlag(ctx.parsed, "port", 0, 65535) ?? 0,
    workspaces: intFlag(ctx.parsed, "workspaces", 0, 100_000) ?? 12,
    seed: intFlag(ctx.parsed, "seed", 0, 2 ** 31 - 1) ?? 1,
    // A few workspaces keep changing, so whoever runs `npm start` sees live updates.
    flapping: intFlag(ctx.parsed, "flapping", 0, 100_000) ?? 2,
    rateLimit: intFlag(ctx.parsed, "rate-limit", 0, 1_000_000) ?? 0,
    saasEdge: ctx.parsed.flags["saas-edge"] === true,
    autoRestart: ctx.parsed.flags["auto-restart"] === true,
    ...(startAtFlag(ctx) === undefined ? {} : { startAt: startAtFlag(ctx) }),
    ...(log === undefined ? {} : { logFile: resolve(log) }),
    ...(corsOrigins === undefined ? {} : { corsOrigins }),
    timing: {
      ...(heartbeatMs === undefined ? {} : { heartbeatMs }),
      ...(chatMs === undefined ? {} : { chatMs }),
    },
  };
}

/** --start-at: an ISO 8601 instant where the sim's clock starts (it then runs on). */
function startAtFlag(ctx: CommandContext): number | undefined {
  const raw = stringFlag(ctx.parsed, "start-at");
  if (raw === undefined) return undefined;
  const at = /^\d{4}-\d{2}-\d{2}/.test(raw) ? Date.parse(raw) : Number.NaN;
  if (!Number.isFinite(at))
    throw new OpsError("Usage", `--start-at must be an ISO 8601 time, got "${raw.slice(0, 64)}"`);
  return at;
}

function announce(sim: Sim, logFile: string | null, json: boolean): void {
  // The tenant's JSON has no instance ids: status/stop need the log imported first (or an
  // instance the console started itself). A workspace the tenant does not know is what the
  // console may provision through the CP (docs/contracts.md §5).
  const online = sim.state
    .workspaces()
    .filter((w) => w.status === "online" && w.runtime !== "external")
    .slice(0, 2);
  const spare = randomUUID();
  if (json) {
    // `workspaces`: tenant workspaces with no live machine (a CP Start for one succeeds, with the
    // console's second-machine warning); `spare_workspace`: one the tenant does not know.
    const live = new Set(
      sim.state
        .instances()
        .filter((i) => i.state === "pending" || i.state === "running")
        .map((i) => i.workspace_id),
    );
    const idle = sim.state.workspaces().filter((w) => !live.has(w.id) && w.status !== "provisioning");
    printJson({
      url: sim.url,
      env: sim.env,
      log: logFile,
      workspaces: idle.slice(0, 3).map((w) => w.id),
      spare_workspace: spare,
    });
    return;
  }
  printLine(`# molecule-ops emulator on ${sim.url} (Ctrl-C to stop). In another shell:`);
  for (const [name, value] of Object.entries(sim.env)) printLine(`export ${name}=${value}`);
  if (logFile) printLine(`# the tenant's server log: ${logFile}`);
  printLine("# then, for example:");
  printLine("#   npx molecule-ops sync && npx molecule-ops workspaces   # the tenant into the offline cache");
  if (logFile) {
    printLine(`#   npx molecule-ops import-log ${logFile}   # instance ids, as a real tenant's log gives them`);
  }
  const first = online[0];
  if (first) {
    printLine(`#   npx molecule-ops console ${first.id}   # ${first.name}`);
    printLine(`#   npx molecule-ops restart ${first.id} --yes`);
    if (logFile) printLine(`#   npx molecule-ops status ${first.id}   # after import-log`);
  }
  printLine(
    `#   npx molecule-ops provision ${spare} --runtime langgraph --tier 2 --yes   # a workspace the tenant does not know`,
  );
  printLine(`#   npx molecule-ops status ${spare} && npx molecule-ops stop ${spare} --yes`);
  printLine(`# inject a fault: curl -X POST -H "Authorization: Bearer $ADMIN_TOKEN" ${sim.url}/_sim/faults \\`);
  printLine(`#   -d '{"route":"cp.status","fault":{"kind":"status","status":503}}'`);
}

function untilInterrupted(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => resolve();
    process.once("SIGINT", done);
    process.once("SIGTERM", done);
  });
}
