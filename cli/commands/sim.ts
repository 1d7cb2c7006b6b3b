import { OpsError } from "../../core/errors";
import { parseFaultSpec, type Sim, startSim } from "../../sim";
import { injectProblems } from "../../sim/problems";
import { intFlag } from "../command-line";
import type { CommandContext } from "../context";
import { EXIT_OK } from "../exit-codes";
import { printJson, printLine } from "../output";
import type { Command } from "./command";

export const simCommand: Command = {
  name: "sim",
  usage: "sim [--port P] [--workspaces N] [--seed S] [--flapping N] [--problems] [--fault ROUTE=KIND ...] [--json]",
  summary: "Run the emulated control plane + tenant on 127.0.0.1 and print the env to point the tool at it",
  flags: {
    port: { type: "string" },
    workspaces: { type: "string" },
    seed: { type: "string" },
    flapping: { type: "string" },
    problems: { type: "boolean" },
    fault: { type: "string", multiple: true },
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
    // Read before starting: a bad number is a usage error, not a failure to listen.
    const options = {
      port: intFlag(ctx.parsed, "port", 0, 65535) ?? 0,
      workspaces: intFlag(ctx.parsed, "workspaces", 0, 100_000) ?? 12,
      seed: intFlag(ctx.parsed, "seed", 0, 2 ** 31 - 1) ?? 1,
      // A few workspaces keep changing, so whoever runs `npm start` sees live updates.
      flapping: intFlag(ctx.parsed, "flapping", 0, 100_000) ?? 2,
    };
    let sim: Sim;
    try {
      sim = await startSim(options);
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      throw new OpsError("Input", `the emulator could not listen: ${code ?? (cause as Error).message}`, { cause });
    }
    for (const f of faults) sim.faults.set(f.route, f.fault, f.times === undefined ? {} : { times: f.times });
    // For `doctor` to find: a malformed binding, a crashed boot stuck in provisioning, a
    // workspace whose status checks fail, and (after 20 s, once a sync has seen it) an orphan.
    const problems = ctx.parsed.flags.problems === true ? injectProblems(sim.state, 20_000) : null;
    announce(sim, ctx.json);
    await untilInterrupted();
    problems?.cancel();
    await sim.close();
    return EXIT_OK;
  },
};

function announce(sim: Sim, json: boolean): void {
  // Workspaces with no live instance, so the printed provision commands succeed as they are.
  const sample = sim.state
    .workspaces()
    .filter((w) => w.instance_id === null && w.status !== "provisioning")
    .slice(0, 3);
  if (json) {
    printJson({ url: sim.url, env: sim.env, workspaces: sample.map((w) => w.id) });
    return;
  }
  printLine(`# molecule-ops emulator on ${sim.url} (Ctrl-C to stop). In another shell:`);
  for (const [name, value] of Object.entries(sim.env)) printLine(`export ${name}=${value}`);
  printLine("# then, for example:");
  printLine("#   npx molecule-ops sync && npx molecule-ops workspaces   # the tenant into the offline cache");
  for (const w of sample) {
    printLine(`#   npx molecule-ops provision ${w.id} --runtime ${w.runtime} --tier ${w.tier} --yes   # ${w.name}`);
  }
  const first = sample[0];
  if (first) {
    printLine(`#   npx molecule-ops status ${first.id}`);
    printLine(`#   npx molecule-ops console ${first.id}`);
    printLine(`#   npx molecule-ops stop ${first.id} --yes`);
  }
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
