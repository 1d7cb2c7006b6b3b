import type { CredentialStore, ProfileSecrets } from "../config/credentials";
import { belongTo, secretValues } from "../config/credentials";
import { ENV_PROFILE, profileFromEnv } from "../config/env-profile";
import type { Profile, ProfileStore } from "../config/profile-store";
import { OpsError } from "../errors";
import { checkedUrls } from "./profiles";
import { Session } from "./session";

type Env = Readonly<Record<string, string | undefined>>;

export interface SessionsOptions {
  profiles: ProfileStore;
  credentials: CredentialStore;
  /** The process environment: it may define the read-only "environment" profile. */
  env: Env;
}

/**
 * Which profile is active, and its session: opened on first use, started in the background,
 * closed when another profile is chosen or this one is edited. Every area's handlers reach the
 * cache and the clients through `current()`.
 */
export class Sessions {
  private session: Session | null = null;
  private opening: Promise<Session> | null = null;

  constructor(readonly o: SessionsOptions) {}

  /** The active profile's session, opened on first use and started in the background. */
  async current(): Promise<Session> {
    if (this.session) return this.session;
    this.opening ??= (async () => {
      const profile = this.activeProfile();
      if (!profile) {
        throw new OpsError(
          "Config",
          "no tenant profile yet: add one in Settings (or set MOLECULE_TENANT_URL and MOLECULE_ORG_ID)",
        );
      }
      const session = new Session(
        profile,
        await this.secretsOf(profile.name),
        this.o.profiles.read().settings,
        this.o.env,
      );
      void session.start();
      this.session = session;
      return session;
    })().finally(() => {
      this.opening = null;
    });
    return this.opening;
  }

  /** The name of the profile whose session is open, if one is. */
  openProfile(): string | null {
    return this.session?.profile.name ?? null;
  }

  async switchTo(name: string): Promise<void> {
    if (this.session?.profile.name === name) return;
    await this.close();
    await this.current();
  }

  /** Every configured secret of the open session (for redaction of anything a host shows). */
  secrets(): string[] {
    return secretValues(this.session?.secrets);
  }

  async close(): Promise<void> {
    const s = this.session;
    this.session = null;
    await s?.close();
  }

  activeProfile(): Profile | null {
    const all = this.allProfiles();
    const active = this.o.profiles.read().active;
    return all.find((p) => p.name === active) ?? all[0] ?? null;
  }

  allProfiles(): Profile[] {
    const fromEnv = profileFromEnv(this.o.env);
    const saved = this.o.profiles.read().profiles.filter((p) => p.name !== ENV_PROFILE);
    return fromEnv ? [fromEnv.profile, ...saved] : saved;
  }

  /**
   * A saved profile's stored secrets, only for the URLs they were entered for and only when those
   * pass the profile rule (docs/contracts.md §5): profiles.json may have been edited since the profile was saved.
   */
  async secretsOf(name: string): Promise<ProfileSecrets | null> {
    if (name === ENV_PROFILE) return profileFromEnv(this.o.env)?.secrets ?? null;
    const profile = this.o.profiles.read().profiles.find((p) => p.name === name);
    if (!profile) return null;
    checkedUrls(profile);
    const secrets = await this.o.credentials.get(name);
    return secrets && belongTo(secrets, profile) ? secrets : null;
  }
}
