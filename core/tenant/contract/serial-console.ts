/**
 * The serial console of the fixtures' crashed workspace (WS.writer): an Amazon Linux 2023 boot
 * whose user-data starts the hermes runtime, which dies on import. The CP's bootstrap watcher
 * finds "RUNTIME CRASHED" in it and POSTs /admin/workspaces/:id/bootstrap-failed with
 * {error, log_tail} (handlers/workspace_bootstrap.go BootstrapFailed); the tenant then shows the
 * same text in GET /workspaces (last_sample_error = error + "\n\n" + log_tail), in the
 * WORKSPACE_PROVISION_FAILED event, and through GET /workspaces/:id/console.
 * EC2 serial consoles end lines with CRLF and keep systemd's colour sequences.
 */
const ESC = "\u001b";
const OK = `[${ESC}[0;32m  OK  ${ESC}[0m]`;

const BOOT = [
  "[    0.000000] Linux version 6.1.134-152.225.amzn2023.x86_64 (mockbuild@ip-10-0-43-142) (gcc (GCC) 11.5.0 20240719 (Red Hat 11.5.0-5), GNU ld version 2.41-50.amzn2023.0.2) #1 SMP PREEMPT_DYNAMIC Wed Apr 30 18:14:52 UTC 2026",
  "[    0.000000] Command line: BOOT_IMAGE=(hd0,gpt1)/boot/vmlinuz-6.1.134-152.225.amzn2023.x86_64 root=UUID=4d1c3e2f-8a7b-4c6d-9e0f-1a2b3c4d5e6f ro console=tty0 console=ttyS0,115200n8 nvme_core.io_timeout=4294967295 rd.emergency=poweroff rd.shell=0 selinux=1 security=selinux quiet",
  "[    1.912204] systemd[1]: Detected virtualization amazon.",
  `${OK} Reached target network-online.target - Network is Online.`,
  `${OK} Started docker.service - Docker Application Container Engine.`,
  "[   12.408113] cloud-init[1687]: Cloud-init v. 22.2.2 running 'modules:config' at Tue, 05 May 2026 19:39:49 +0000. Up 12.31 seconds.",
  "[   14.091552] cloud-init[1742]: Cloud-init v. 22.2.2 running 'modules:final' at Tue, 05 May 2026 19:39:51 +0000. Up 13.98 seconds.",
  "molecule-bootstrap: workspace 5d0c8b3a-6e2f-4c1d-9a7b-3e8f0c2d6a14 runtime=hermes tier=4",
  "molecule-bootstrap: pulling ghcr.io/molecule-ai/workspace-template-hermes:0.31.2",
  "0.31.2: Pulling from molecule-ai/workspace-template-hermes",
  "Digest: sha256:9b1f0c7e4a2d8b6c3e5f7a9d1b3c5e7f9a2c4e6b8d0f2a4c6e8b0d2f4a6c8e0b",
  "Status: Downloaded newer image for ghcr.io/molecule-ai/workspace-template-hermes:0.31.2",
  "molecule-bootstrap: starting runtime container ws-5d0c8b3a-6e2",
];

const CRASH = [
  "molecule-runtime: loading /configs/config.yaml (runtime=hermes, model=minimax/MiniMax-M2.7-highspeed)",
  "RUNTIME CRASHED: hermes-agent exited with code 1",
  "Traceback (most recent call last):",
  '  File "<frozen runpy>", line 198, in _run_module_as_main',
  '  File "<frozen runpy>", line 88, in _run_code',
  '  File "/opt/molecule/runtime/hermes_runtime/__main__.py", line 4, in <module>',
  "    main()",
  '  File "/opt/molecule/runtime/hermes_runtime/cli.py", line 61, in main',
  "    adapter = load_adapter(config.runtime_config)",
  "              ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
  '  File "/opt/molecule/runtime/hermes_runtime/adapters.py", line 112, in load_adapter',
  '    provider = importlib.import_module(f"hermes_agent.providers.{name}")',
  "               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
  '  File "/usr/lib64/python3.12/importlib/__init__.py", line 90, in import_module',
  "    return _bootstrap._gcd_import(name[level:], package, level)",
  "           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
  '  File "<frozen importlib._bootstrap>", line 1387, in _gcd_import',
  '  File "<frozen importlib._bootstrap>", line 1360, in _find_and_load',
  '  File "<frozen importlib._bootstrap>", line 1324, in _find_and_load_unlocked',
  "ModuleNotFoundError: No module named 'hermes_agent.providers.minimax'",
];

const crlf = (lines: string[]) => lines.map((l) => `${l}\r\n`).join("");

/** GET /workspaces/:id/console's `output` for WS.writer. */
export const WRITER_CONSOLE = crlf([...BOOT, ...CRASH]);
/** The `error` the CP's watcher reported (BootstrapFailed keeps it after TrimSpace). */
export const WRITER_CRASH_ERROR = "RUNTIME CRASHED: hermes-agent exited with code 1";
/** The `log_tail` the CP's watcher reported: the console's last lines (under 8 KiB: kept whole). */
export const WRITER_LOG_TAIL = crlf(CRASH);
/** workspaces.last_sample_error as BootstrapFailed stores it: truncateString(error + "\n\n" + tail, 8192). */
export const WRITER_SAMPLE_ERROR = `${WRITER_CRASH_ERROR}\n\n${WRITER_LOG_TAIL}`;
/** The traceback's last line: what a person needs first. */
export const WRITER_LAST_LINE = "ModuleNotFoundError: No module named 'hermes_agent.providers.minimax'";
