#!/usr/bin/env node
// The one test command (`npm test`): lint, type check, Vitest, then Playwright when e2e specs
// exist. It ends with one line `N passed, N failed` summed over the test runners, so a run
// that executed no test is visible.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";

mkdirSync("test-results", { recursive: true });
let passed = 0;
let failed = 0;
const problems = [];

function run(label, cmd, args) {
  process.stdout.write(`\n== ${label}: ${cmd} ${args.join(" ")}\n`);
  const r = spawnSync(cmd, args, { stdio: "inherit" });
  if (r.status !== 0) problems.push(`${label} exited ${r.status ?? r.signal}`);
  return r.status === 0;
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return null;
  }
}

run("lint", "npx", ["biome", "check", "."]);
run("types", "npx", ["tsc", "--noEmit", "-p", "."]);
// The desktop app's main and preload import "electron", whose package (and types) only install
// on Node >= 22.12 with network: checked where it is present, said so where it is not.
if (existsSync("node_modules/electron/electron.d.ts"))
  run("types (electron)", "npx", ["tsc", "--noEmit", "-p", "electron/app"]);
else
  process.stdout.write("\n== types (electron): skipped, the electron package is not installed here (Node < 22.12)\n");

const vitestOut = "test-results/vitest.json";
run("vitest", "npx", ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestOut}`]);
const v = readJson(vitestOut);
if (v) {
  passed += v.numPassedTests ?? 0;
  failed += (v.numFailedTests ?? 0) + (v.numFailedTestSuites ?? 0);
} else {
  failed += 1;
  problems.push("vitest wrote no report");
}

const hasE2e = existsSync("e2e") && readdirSync("e2e").some((f) => f.endsWith(".spec.ts"));
if (hasE2e) {
  const pwOut = "test-results/playwright.json";
  const r = spawnSync("npx", ["playwright", "test", "--reporter=list,json"], {
    stdio: "inherit",
    env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: pwOut },
  });
  if (r.status !== 0) problems.push(`playwright exited ${r.status ?? r.signal}`);
  const p = readJson(pwOut);
  if (p?.stats) {
    passed += p.stats.expected ?? 0;
    failed += (p.stats.unexpected ?? 0) + (p.stats.flaky ?? 0);
  } else {
    failed += 1;
    problems.push("playwright wrote no report");
  }
}

for (const p of problems) process.stdout.write(`problem: ${p}\n`);
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exit(problems.length === 0 && failed === 0 && passed > 0 ? 0 : 1);
