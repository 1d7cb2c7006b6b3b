#!/usr/bin/env node
// `npm start`: the built-in emulator, then the app on it: the desktop app when an Electron
// binary is installed, else the browser host (DESIGN), saying which in one line. No credentials
// are needed: the emulator's own environment is the app's "environment" profile.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { ELECTRON_MAIN, notBuilt } from "./build-output.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const cli = join(root, "bin", "molecule-ops.mjs");
const children = [];

let stopping = false;
/** The first reason to stop decides the exit code: the children it kills do not override it. */
function stopAll(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  process.exitCode = code;
}
process.on("SIGINT", () => stopAll(0));
process.on("SIGTERM", () => stopAll(0));

/** Starts a child and resolves with it once `ready` matches a line of its stdout (echoed as it comes). */
function start(command, args, env, ready, { echo = true } = {}) {
  const child = spawn(command, args, { cwd: root, env, stdio: ["ignore", "pipe", "inherit"] });
  children.push(child);
  child.on("exit", (code) => stopAll(code ?? 1));
  return new Promise((resolveStart, reject) => {
    const lines = createInterface({ input: child.stdout });
    let found = null;
    lines.on("line", (line) => {
      if (echo) process.stdout.write(`${line}\n`);
      if (found) return;
      found = ready(line);
      if (found) resolveStart({ child, match: found });
    });
    child.once("exit", (code) => {
      if (!found) reject(new Error(`${args.join(" ")} exited ${code} before it was ready`));
    });
  });
}

/** Runs a command to its end (its output passed through); rejects unless it exits 0. */
function run(command, args, env) {
  return new Promise((resolveRun, reject) => {
    const child = spawn(command, args, { cwd: root, env, stdio: ["ignore", "inherit", "inherit"] });
    child.once("error", reject);
    child.once("exit", (code) => {
      if (code === 0) resolveRun();
      else reject(new Error(`${args.join(" ")} exited ${code}`));
    });
  });
}

/** The Electron binary's path, or why there is none (Node < 22, or no network at install). */
function electronBinary() {
  try {
    const path = createRequire(import.meta.url)("electron");
    if (typeof path === "string" && existsSync(path)) return { path };
    return { why: "the electron package is installed but its binary is not" };
  } catch {
    return { why: "no Electron binary is installed here" };
  }
}

// Everything it runs was built at install (scripts/build.mjs, `npm ci` runs it): said before the
// emulator starts, not after. The desktop app needs its own bundle besides the UI and the CLI.
const electron = electronBinary();
const missing = ["cli", "renderer", ...(electron.path ? ["electron"] : [])].map(notBuilt).find(Boolean);
if (missing) {
  process.stderr.write(`molecule-ops: ${missing}\n`);
  process.exit(1);
}

// The emulator's data never mixes with a real tenant's cache. A fresh folder each run, made by
// mkdtemp (random name, 0700) and removed on exit: a fixed name under /tmp could be created
// first by another user, who would then own the cache and its logs (issue 14).
const ownHome = !process.env.MOLECULE_OPS_HOME;
const env = {
  ...process.env,
  MOLECULE_OPS_HOME: process.env.MOLECULE_OPS_HOME || mkdtempSync(join(tmpdir(), "molecule-ops-emulator-")),
};
delete env.MOLECULE_OPS_DB;
if (ownHome) process.on("exit", () => rmSync(env.MOLECULE_OPS_HOME, { recursive: true, force: true }));

// The emulated tenant writes its own server log, and the app learns workspace→instance ids by
// importing it, exactly as staff do with a real tenant (its API has no instance ids, docs/contracts.md §3).
mkdirSync(env.MOLECULE_OPS_HOME, { recursive: true, mode: 0o700 });
const simArgs = process.argv.slice(2);
const given = simArgs.indexOf("--log");
const serverLog =
  given >= 0 && simArgs[given + 1] ? resolve(simArgs[given + 1]) : join(env.MOLECULE_OPS_HOME, "emulator-server.log");
if (given < 0) simArgs.unshift("--log", serverLog);
const simEnv = {};
await start(process.execPath, [cli, "sim", ...simArgs], env, (line) => {
  const m = /^export ([A-Z_]+)=(.*)$/.exec(line);
  if (m) simEnv[m[1]] = m[2];
  return simEnv.MOLECULE_TENANT_URL ? true : null;
});
Object.assign(env, simEnv);
await run(process.execPath, [cli, "import-log", serverLog], env);

if (electron.path) {
  process.stdout.write("molecule-ops: opening the desktop app (Electron) on the emulator\n");
  const app = spawn(electron.path, [ELECTRON_MAIN], { cwd: root, env, stdio: "inherit" });
  children.push(app);
  app.on("exit", (code) => stopAll(code ?? 0));
} else {
  const { match } = await start(process.execPath, [cli, "serve"], env, (line) => /browser host at (\S+)/.exec(line), {
    echo: false,
  });
  process.stdout.write(
    `molecule-ops: ${electron.why}, so the app runs in the browser host on the emulator: open ${match[1]}\n`,
  );
}
