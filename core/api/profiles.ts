import { z } from "zod";
import { parseBaseUrl } from "../config/base-url";
import { readCpConfig } from "../config/cp-config";
import type { ProfileSecrets } from "../config/credentials";
import { sameUrl, secretValues } from "../config/credentials";
import { ENV_PROFILE, profileEnv } from "../config/env-profile";
import type { Profile } from "../config/profile-store";
import { CpClient } from "../cp/cp-client";
import { OpsError } from "../errors";
import { TenantClient } from "../tenant/tenant-client";
import { readTenantConfig } from "../tenant/tenant-config";
import { baseUrlProblem, PROFILE_NAME_PATTERN, PROFILE_NAME_RULE, PROFILE_URL_RULES } from "./field-rules";
import { noInput } from "./input-rules";
import type { HandlersOf } from "./schemas";
import type { Sessions } from "./sessions";
import type { ProfileView, RequestResults } from "./views";

/** A saved profile's tenant or CP URL: core/config/base-url.ts's one rule, https off loopback. */
const profileUrl = z
  .string()
  .max(2000)
  .superRefine((url, ctx) => {
    const problem = baseUrlProblem(url, PROFILE_URL_RULES);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

export const profileInput = z
  .object({
    name: z.string().regex(PROFILE_NAME_PATTERN, PROFILE_NAME_RULE),
    tenantUrl: profileUrl,
    orgId: z.string().min(1).max(200),
    cpUrl: profileUrl.nullable(),
  })
  .strict();

/** Secrets travel renderer → host only when a person types them; they never travel back. */
export const secretsInput = z
  .object({
    adminToken: z.string().max(4096),
    provisionSecret: z.string().max(4096),
    adminApiToken: z.string().max(4096),
  })
  .strict();

const profileName = z.object({ name: profileInput.shape.name }).strict();

export const profileRequests = {
  "profiles.list": noInput,
  "profiles.save": z.object({ profile: profileInput, secrets: secretsInput.optional() }).strict(),
  "profiles.remove": profileName,
  "profiles.use": profileName,
  "profiles.test": profileName,
} as const;

/** Listing, saving, removing, choosing and testing tenant profiles; secrets go in, never out. */
export function profileHandlers(sessions: Sessions): HandlersOf<keyof typeof profileRequests> {
  return {
    "profiles.list": async () => Promise.all(sessions.allProfiles().map((p) => profileView(sessions, p.name))),
    "profiles.save": async ({ profile, secrets }) => saveProfile(sessions, profile, secrets),
    "profiles.remove": async ({ name }) => removeProfile(sessions, name),
    "profiles.use": async ({ name }) => {
      if (!sessions.allProfiles().some((p) => p.name === name)) {
        throw new OpsError("NotFound", `no profile named ${name}`);
      }
      // The environment's profile is the default, so choosing it clears the saved choice.
      sessions.o.profiles.update((st) => {
        st.active = name === ENV_PROFILE ? null : name;
      });
      await sessions.switchTo(name);
      return profileView(sessions, name);
    },
    "profiles.test": async ({ name }) => testProfile(sessions, name),
  };
}

export async function profileView(sessions: Sessions, name: string): Promise<ProfileView> {
  const p = sessions.allProfiles().find((q) => q.name === name);
  if (!p) throw new OpsError("NotFound", `no profile named ${name}`);
  const secrets = await sessions.secretsOf(name).catch(() => null);
  return {
    ...p,
    hasSecrets: secretValues(secrets).length > 0,
    active: sessions.activeProfile()?.name === name,
    readOnly: name === ENV_PROFILE,
  };
}

/**
 * Saves a profile: its URLs as the URL parser writes them, its name unique regardless of case
 * (two such names once shared a cache). Stored secrets belong to the URLs they were entered for
 * (docs/contracts.md §5): pointing the tenant or CP URL elsewhere drops them unless new ones come with the
 * same save, so `profiles.test` and the session never send the old bearer to the new place.
 */
async function saveProfile(sessions: Sessions, input: Profile, secrets: ProfileSecrets | undefined) {
  const { profiles, credentials } = sessions.o;
  if (sameName(input.name, ENV_PROFILE)) {
    throw new OpsError("Input", `"${ENV_PROFILE}" is defined by the environment and cannot be edited`);
  }
  const profile: Profile = { ...input, ...checkedUrls(input) };
  const saved = profiles.read().profiles;
  const before = saved.find((p) => p.name === profile.name);
  const clash = saved.find((p) => p.name !== profile.name && sameName(p.name, profile.name));
  if (!before && clash) {
    throw new OpsError(
      "Conflict",
      `a profile named "${clash.name}" exists (names are compared without case): edit it, or choose another name`,
    );
  }
  const moved =
    before !== undefined && !(sameUrl(before.tenantUrl, profile.tenantUrl) && sameUrl(before.cpUrl, profile.cpUrl));
  // Secrets first: a profile is never saved pointing at secrets that could not be stored, nor
  // at a URL that its stored secrets were not entered for.
  if (secrets) {
    if (!credentials.canStore) {
      throw new OpsError("Config", `cannot store secrets: ${credentials.detail}`);
    }
    const { adminToken, provisionSecret, adminApiToken } = secrets;
    await credentials.set(profile.name, {
      adminToken,
      provisionSecret,
      adminApiToken,
      origins: { tenantUrl: profile.tenantUrl, cpUrl: profile.cpUrl },
    });
  } else if (moved || !before) {
    // A new profile starts without any left over under its name (a profile removed by hand).
    await credentials.remove(profile.name);
  }
  profiles.update((st) => {
    st.profiles = [...st.profiles.filter((p) => p.name !== profile.name), profile];
  });
  if (sessions.openProfile() === profile.name) await sessions.close();
  return profileView(sessions, profile.name);
}

async function removeProfile(sessions: Sessions, name: string): Promise<{ removed: boolean }> {
  const { profiles, credentials } = sessions.o;
  if (name === ENV_PROFILE) throw new OpsError("Input", `"${ENV_PROFILE}" is defined by the environment`);
  const before = profiles.read().profiles.length;
  const state = profiles.update((st) => {
    st.profiles = st.profiles.filter((p) => p.name !== name);
    if (st.active === name) st.active = null;
  });
  await credentials.remove(name);
  if (sessions.openProfile() === name) await sessions.close();
  return { removed: state.profiles.length < before };
}

/**
 * Lists the tenant's workspaces and, with a CP, reads one console through it (by workspace id:
 * the tenant gives no instance ids to ask a status about): nothing is written.
 */
async function testProfile(sessions: Sessions, name: string): Promise<RequestResults["profiles.test"]> {
  const p = sessions.allProfiles().find((q) => q.name === name);
  if (!p) throw new OpsError("NotFound", `no profile named ${name}`);
  const stored = await sessions.secretsOf(name);
  const vars = profileEnv(p, stored);
  const secrets = secretValues(stored);
  const tenant = new TenantClient(readTenantConfig(vars), { timeoutMs: 15_000, secrets });
  try {
    const list = await tenant.listWorkspaces();
    let cp: "ok" | "none" | "failed" = "none";
    if (p.cpUrl) {
      const client = new CpClient(readCpConfig(vars), {
        ledger: {
          resolveInstanceId: () => null,
          recordStarted: () => {},
          recordStopped: () => {},
          recordStopFailed: () => {},
        },
        timeoutMs: 15_000,
        secrets,
      });
      try {
        const first = list.workspaces[0];
        if (first) await client.console(first.id);
        cp = "ok";
      } catch (error) {
        // The CP answered past its auth: reachable and the secrets accepted, the workspace aside.
        cp = error instanceof OpsError && error.status === 404 ? "ok" : "failed";
      } finally {
        await client.close();
      }
    }
    return { ok: cp !== "failed", workspaces: list.workspaces.length, error: null, cp };
  } catch (error) {
    const e = error instanceof OpsError ? error : new OpsError("Transport", "internal error");
    return { ok: false, workspaces: null, error: { code: e.code, message: e.message }, cp: "none" };
  } finally {
    await tenant.close();
  }
}

/** Profile names are one name regardless of case ("Victim" and "victim"). */
function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** A saved profile's URLs under the profile rule (https off loopback), as the parser writes them. */
export function checkedUrls(p: Profile): Pick<Profile, "tenantUrl" | "cpUrl"> {
  return {
    tenantUrl: parseBaseUrl(p.tenantUrl, `the tenant URL of ${p.name}`, PROFILE_URL_RULES),
    cpUrl: p.cpUrl === null ? null : parseBaseUrl(p.cpUrl, `the control plane URL of ${p.name}`, PROFILE_URL_RULES),
  };
}
