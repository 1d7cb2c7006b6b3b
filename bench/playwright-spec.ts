import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { REPO_ROOT } from "./bench-context";

/**
 * Runs one gated Playwright spec (a UI benchmark) that writes its figures as JSON to `out`;
 * resolves with them. A missed target fails the spec's soft expects but still writes the figures,
 * so only a spec that wrote nothing is an error (its output's tail then says why).
 */
export function runBenchSpec<T>(spec: string, out: string, env: Record<string, string>): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn("npx", ["playwright", "test", spec], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const keep = (s: string) => {
      output = (output + s).slice(-20_000);
    };
    child.stdout.setEncoding("utf8").on("data", keep);
    child.stderr.setEncoding("utf8").on("data", keep);
    child.once("error", reject);
    child.once("close", () => {
      try {
        resolve(JSON.parse(readFileSync(out, "utf8")) as T);
      } catch {
        reject(new Error(`npx playwright test ${spec} wrote no figures:\n${output.slice(-4000)}`));
      }
    });
  });
}
