import { RUNTIMES } from "./catalog";
import { goQuote } from "./go-json-body";

/**
 * The tenant's workspace-configs-templates directory, as the sim imagines it: a
 * `<runtime>-default` per runtime (external has no template repo) and a few named templates.
 * Only hermes declares runtime_config.provision_timeout_seconds (30 min: the platform's own
 * hermes exception, registry/provisiontimeout.go), so only its rows carry provision_timeout_ms.
 */
const NAMED_TEMPLATES = ["research-analyst", "support-triage", "release-writer"];
const TEMPLATE_DIRS: ReadonlySet<string> = new Set([
  ...RUNTIMES.filter((runtime) => runtime !== "external").map((runtime) => `${runtime}-default`),
  ...NAMED_TEMPLATES,
]);
const PROVISION_TIMEOUT_SECONDS: Readonly<Record<string, number>> = { hermes: 1800 };
/** The container path the platform's configsDir has in the tenant image. */
export const CONFIGS_DIR = "/app/workspace-configs-templates";

/** handlers/runtime_provision_timeouts.go: 0 when the runtime's template declares none. */
export function provisionTimeoutSeconds(runtime: string): number {
  return PROVISION_TIMEOUT_SECONDS[runtime] ?? 0;
}

export interface RestartTemplateInput {
  template: string;
  applyTemplate: boolean;
  rebuildConfig: boolean;
}

export interface RestartTemplate {
  /** "" = reuse the existing config volume. */
  path: string;
  /** The `config_dir` of Restart's answer. */
  label: string;
  /** What the platform logs while choosing (restart_template.go). */
  notes: string[];
}

/**
 * handlers/restart_template.go resolveRestartTemplate: an explicit template, else (with
 * apply_template) a name match; then rebuild_config's org-templates (the sim has none); then
 * (apply_template) the runtime's default; else "existing-volume", the path that keeps the
 * user's config edits.
 */
export function resolveRestartTemplate(wsName: string, runtime: string, body: RestartTemplateInput): RestartTemplate {
  const notes: string[] = [];
  let template = body.template;
  if (template === "" && body.applyTemplate) template = findTemplateByName(wsName);
  if (template !== "") {
    if (!insideRoot(template)) {
      notes.push(`Restart: invalid template ${goQuote(template)}: path escapes root — proceeding without it`);
    } else if (TEMPLATE_DIRS.has(template)) {
      return { path: `${CONFIGS_DIR}/${template}`, label: template, notes };
    } else {
      notes.push(`Restart: template ${goQuote(template)} dir not found — proceeding without it`);
    }
  }
  if (body.applyTemplate && runtime !== "") {
    const label = `${sanitizeRuntime(runtime)}-default`;
    if (TEMPLATE_DIRS.has(label)) {
      notes.push(`Restart: applying template ${label} (runtime change)`);
      return { path: `${CONFIGS_DIR}/${label}`, label, notes };
    }
  }
  return { path: "", label: "existing-volume", notes };
}

/** "SEO Agent" → "seo-agent", as findTemplateByName normalises a workspace name. */
function findTemplateByName(name: string): string {
  const normalized = name.replaceAll(" ", "-").toLowerCase();
  return TEMPLATE_DIRS.has(normalized) ? normalized : "";
}

/** resolveInsideRoot: no absolute paths, nothing that climbs out of configsDir. */
function insideRoot(template: string): boolean {
  if (template.startsWith("/")) return false;
  let depth = 0;
  for (const part of template.split("/")) {
    if (part === "..") depth -= 1;
    else if (part !== "" && part !== ".") depth += 1;
    if (depth < 0) return false;
  }
  return true;
}

/** Unknown runtimes become claude-code (handlers/workspace_provision.go sanitizeRuntime). */
function sanitizeRuntime(runtime: string): string {
  const trimmed = runtime.trim();
  return (RUNTIMES as readonly string[]).includes(trimmed) ? trimmed : "claude-code";
}
