import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { OpsService } from "../../core/api/ops-service";
import { userDataDir } from "../../core/config/data-dir";
import { FileCredentials } from "../../core/config/file-credentials";
import { ProfileStore } from "../../core/config/profile-store";
import { OpsError } from "../../core/errors";
import { startBrowserHost } from "../../server/browser-host";
import { intFlag, stringFlag } from "../command-line";
import type { CommandContext } from "../context";
import { EXIT_OK } from "../exit-codes";
import { printJson, printLine } from "../output";
import type { Command } from "./command";

export const serveCommand: Command = {
  name: "serve",
  usage: "serve [--port P] [--credentials FILE] [--json]",
  summary: "Serve the UI on 127.0.0.1 with a per-run token (the browser host)",
  flags: { port: { type: "string" }, credentials: { type: "string" } },
  async run(ctx: CommandContext) {
    if (ctx.parsed.positionals.length > 0) throw new OpsError("Usage", "serve takes no arguments");
    const port = intFlag(ctx.parsed, "port", 0, 65535) ?? 0;
    const home = userDataDir(ctx.env);
    const credentials = new FileCredentials(stringFlag(ctx.parsed, "credentials") ?? join(home, "credentials.json"));
    const service = new OpsService({
      profiles: new ProfileStore(join(home, "profiles.json")),
      credentials,
      env: ctx.env,
      host: "browser",
      version: process.env.npm_package_version ?? "0.1.0",
    });
    const rendererDir = await ensureRenderer();
    let host: Awaited<ReturnType<typeof startBrowserHost>>;
    try {
      host = await startBrowserHost({ service, rendererDir, port });
    } catch (cause) {
      await service.close();
      throw new OpsError("Config", `cannot listen on 127.0.0.1:${port}: ${(cause as Error).message}`);
    }
    // The one place the token is shown: the URL to open.
    if (ctx.json) printJson({ url: host.url, port: host.port });
    else printLine(`molecule-ops: browser host at ${host.url} (Ctrl-C to stop)`);
    await new Promise<void>((resolve) => {
      process.once("SIGINT", resolve);
      process.once("SIGTERM", resolve);
    });
    await host.close();
    await service.close();
    return EXIT_OK;
  },
};

/** The launcher in bin/ builds the UI when needed; from sources (tests) the builder is found beside them. */
async function ensureRenderer(): Promise<string> {
  const fromLauncher = (globalThis as { moleculeOpsEnsureRenderer?: () => Promise<string> }).moleculeOpsEnsureRenderer;
  if (fromLauncher) return fromLauncher();
  const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
  const mod = (await import(pathToFileURL(join(root, "bin", "ensure-renderer.mjs")).href)) as {
    ensureRenderer(): Promise<string>;
  };
  return mod.ensureRenderer();
}
