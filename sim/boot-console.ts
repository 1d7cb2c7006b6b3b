import { createPrng, hashSeed, type Prng } from "./prng";

/**
 * The EC2 serial console of one instance, as the CP returns it from ec2:GetConsoleOutput.
 * It grows with time since the instance started, because the console viewer follows it,
 * and crash boots end in `RUNTIME CRASHED` plus a Python traceback: the marker the console
 * treats as a bootstrap failure (docs/contracts.md §5). Deterministic per (seed, instance id).
 */
export interface BootConsoleInput {
  seed: number;
  instanceId: string;
  workspaceId: string;
  runtime: string;
  tier: number;
  privateIp: string;
  crash: boolean;
  startedAt: number;
  stoppedAt: number | null;
  /** Real milliseconds over which the boot unfolds (the sim's provisioning delay). */
  bootMs: number;
  now: number;
}

export const CRASH_MARKER = "RUNTIME CRASHED";

/** Fractions of bootMs: the crash shows before the platform gives up on the boot, so a
 * console reader has a window to report it (bootstrap-failed only acts while provisioning). */
const START_AT = 0.5;
const CRASH_AT = 0.6;
const READY_AT = 0.9;

const OK = "[\u001b[0;32m  OK  \u001b[0m]";

interface Line {
  /** Fraction of bootMs after which the line is visible. */
  at: number;
  text: string;
}

export function renderBootConsole(input: BootConsoleInput): string {
  const elapsed = input.now - input.startedAt;
  const visible = bootLines(input)
    .filter((line) => elapsed >= line.at * input.bootMs)
    .map((line) => line.text);
  if (input.stoppedAt !== null && input.now >= input.stoppedAt)
    visible.push(...shutdownLines((input.stoppedAt - input.startedAt) / 1000));
  return visible.length === 0 ? "" : `${visible.join("\r\n")}\r\n`;
}

function bootLines(input: BootConsoleInput): Line[] {
  const rng = createPrng(hashSeed(input.seed, input.instanceId));
  const early: Array<{ sec: number; text: string }> = [];
  let sec = 0;
  const kernel = (dt: number, text: string) => {
    sec += dt;
    early.push({ sec, text: `[${sec.toFixed(6).padStart(12)}] ${text}` });
  };
  const plain = (dt: number, text: string) => {
    sec += dt;
    early.push({ sec, text });
  };
  const clock = (s: number) => new Date(input.startedAt + s * 1000).toUTCString().replace("GMT", "+0000");
  const kver = `6.1.${rng.int(90, 130)}-${rng.int(100, 140)}.${rng.int(150, 200)}.amzn2023.x86_64`;
  const image = `ghcr.io/molecule-ai/workspace-runtime-${input.runtime}`;
  const tag = `0.${rng.int(8, 14)}.${rng.int(0, 9)}`;
  const ci = rng.int(1100, 1400);
  const boot = rng.int(1700, 2100);

  kernel(0, `Linux version ${kver} (mockbuild@ip-10-0-${rng.int(1, 254)}-${rng.int(1, 254)}) #1 SMP PREEMPT_DYNAMIC`);
  kernel(
    0,
    `Command line: BOOT_IMAGE=(hd0,gpt1)/boot/vmlinuz-${kver} root=UUID=${rng.uuid()} ro console=tty0 console=ttyS0,115200n8`,
  );
  kernel(0.01, "BIOS-provided physical RAM map:");
  kernel(0.4, "ACPI: Early table checksum verification disabled");
  kernel(0.6, "nvme nvme0: 2/0/0 default/read/poll queues");
  kernel(0.9, " nvme0n1: p1 p127 p128");
  kernel(1.2, "EXT4-fs (nvme0n1p1): mounted filesystem with ordered data mode. Quota mode: none.");
  kernel(0.8, "systemd[1]: Detected virtualization amazon.");
  kernel(0.1, `systemd[1]: Hostname set to <ip-${input.privateIp.replaceAll(".", "-")}.ec2.internal>.`);
  plain(0.9, `${OK} Started \u001b[0;1;39msystemd-journald.service\u001b[0m - Journal Service.`);
  plain(0.4, `${OK} Reached target \u001b[0;1;39mlocal-fs.target\u001b[0m - Local File Systems.`);
  plain(
    1.1,
    `cloud-init[${ci}]: Cloud-init v. 22.2.2 running 'init-local' at ${clock(sec)}. Up ${sec.toFixed(2)} seconds.`,
  );
  plain(
    1.3,
    `${OK} Started \u001b[0;1;39mcloud-init-local.service\u001b[0m - Initial cloud-init job (pre-networking).`,
  );
  plain(
    0.8,
    `cloud-init[${ci + 9}]: Cloud-init v. 22.2.2 running 'init' at ${clock(sec)}. Up ${sec.toFixed(2)} seconds.`,
  );
  plain(0.1, `cloud-init[${ci + 9}]: ci-info: +++++++++++++++++++++++++++Net device info+++++++++++++++++++++++++++`);
  plain(
    0,
    `cloud-init[${ci + 9}]: ci-info: | ens5 | True | ${input.privateIp} | 255.255.240.0 | global | ${mac(rng)} |`,
  );
  plain(
    0,
    `cloud-init[${ci + 9}]: ci-info: +--------+------+-------------+---------------+--------+-------------------+`,
  );
  plain(2.5, `cloud-init[${boot}]: + docker pull ${image}:${tag}`);
  plain(0.7, `cloud-init[${boot}]: ${tag}: Pulling from molecule-ai/workspace-runtime-${input.runtime}`);
  for (let i = 0; i < 4; i++) plain(rng.int(2, 9) / 2, `cloud-init[${boot}]: ${rng.hex(12)}: Pull complete`);
  plain(0.4, `cloud-init[${boot}]: Digest: sha256:${rng.hex(64)}`);
  plain(0.1, `cloud-init[${boot}]: Status: Downloaded newer image for ${image}:${tag}`);
  if (rng.chance(0.5)) {
    plain(
      0.2,
      `cloud-init[${boot}]: \u001b[0;1;33mWARNING\u001b[0m: The requested image's platform does not match the detected host platform`,
    );
  }
  plain(
    1.6,
    `cloud-init[${boot}]: + docker run -d --name workspace --restart=no --env-file /etc/molecule/workspace.env ${image}:${tag}`,
  );
  plain(
    0.9,
    `cloud-init[${boot}]: Starting ${input.runtime} runtime (tier ${input.tier}, workspace ${input.workspaceId})`,
  );

  const last = sec;
  const lines: Line[] = early.map((line) => ({ at: (START_AT * line.sec) / last, text: line.text }));
  const tail = (at: number, text: string) => lines.push({ at, text });
  const stamp = (s: number) => new Date(input.startedAt + s * 1000).toISOString();
  tail(0.55, `cloud-init[${boot}]: \u001b[32mINFO\u001b[0m ${stamp(last + 2)} molecule_runtime: loading agent config`);
  if (input.crash) {
    tail(CRASH_AT, CRASH_MARKER);
    for (const text of traceback(rng, input.runtime)) tail(CRASH_AT, text);
    return lines;
  }
  tail(
    0.7,
    `cloud-init[${boot}]: \u001b[32mINFO\u001b[0m ${stamp(last + 6)} molecule_runtime: registering with platform`,
  );
  tail(0.8, `cloud-init[${boot}]: \u001b[32mINFO\u001b[0m ${stamp(last + 9)} molecule_runtime: heartbeat ok`);
  tail(
    READY_AT,
    `cloud-init[${boot}]: \u001b[1;32mWorkspace agent ready\u001b[0m (${input.runtime}, ${input.instanceId})`,
  );
  const up = (last + 12).toFixed(2);
  tail(0.92, `Cloud-init v. 22.2.2 finished at ${clock(last + 12)}. Datasource DataSourceEc2Local.  Up ${up} seconds`);
  return lines;
}

function mac(rng: Prng): string {
  return Array.from({ length: 6 }, () => rng.hex(2)).join(":");
}

const MODULES: Record<string, string> = {
  langgraph: "langgraph",
  "claude-code": "claude_agent_sdk",
  openclaw: "openclaw",
  crewai: "crewai",
  autogen: "autogen_agentchat",
  deepagents: "deepagents",
  hermes: "hermes_agent",
  codex: "codex_runtime",
  "gemini-cli": "gemini_cli_adapter",
  external: "molecule_external",
};

function traceback(rng: Prng, runtime: string): string[] {
  const mod = MODULES[runtime] ?? runtime.replaceAll("-", "_");
  const site = "/opt/molecule/venv/lib/python3.11/site-packages";
  const frames = [
    "Traceback (most recent call last):",
    '  File "/opt/molecule/venv/bin/molecule-runtime", line 8, in <module>',
    "    sys.exit(main())",
    `  File "${site}/molecule_runtime/__main__.py", line ${rng.int(90, 180)}, in main`,
    "    agent = bootstrap(config)",
  ];
  const failures: string[][] = [
    [
      `  File "${site}/molecule_runtime/loader.py", line ${rng.int(30, 90)}, in load_agent`,
      `    module = importlib.import_module("${mod}.agent")`,
      `ModuleNotFoundError: No module named '${mod}.agent'`,
    ],
    [
      `  File "${site}/molecule_runtime/config.py", line ${rng.int(20, 70)}, in read_secrets`,
      '    api_key = os.environ["MODEL_API_KEY"]',
      "KeyError: 'MODEL_API_KEY'",
    ],
    [
      `  File "${site}/molecule_runtime/register.py", line ${rng.int(40, 120)}, in register`,
      "    sock.connect((host, port))",
      "ConnectionRefusedError: [Errno 111] Connection refused",
    ],
    [
      `  File "${site}/molecule_runtime/state.py", line ${rng.int(10, 60)}, in open_state`,
      '    with open(path, "w") as handle:',
      "PermissionError: [Errno 13] Permission denied: '/var/lib/molecule/workspace/.state'",
    ],
  ];
  return [...frames, ...rng.pick(failures)];
}

function shutdownLines(upSeconds: number): string[] {
  return [
    `${OK} Stopped \u001b[0;1;39mcloud-final.service\u001b[0m - Execute cloud user/final scripts.`,
    `${OK} Reached target \u001b[0;1;39mshutdown.target\u001b[0m - System Shutdown.`,
    `[${Math.max(0, upSeconds).toFixed(6).padStart(12)}] reboot: Power down`,
  ];
}
