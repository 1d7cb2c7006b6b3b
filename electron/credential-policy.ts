/**
 * Whether the desktop app may keep profile secrets with Electron's safeStorage, and the sentence
 * Settings shows about it (DESIGN "Electron security": on Linux refuse to persist when the
 * backend is `basic_text`, and say why). Refusing is never silent: `canStore` is false and the
 * detail says what to do; the service then answers "cannot store secrets: <detail>".
 */

export interface StorageFacts {
  platform: NodeJS.Platform;
  /** `safeStorage.getSelectedStorageBackend()` on Linux; ignored on macOS and Windows. */
  backend: string;
  /** Whether safeStorage can encrypt at all right now. */
  available: boolean;
}

export interface CredentialPolicy {
  canStore: boolean;
  /** One sentence for Settings: where the key lives, or why nothing is stored and what to do. */
  detail: string;
}

/** Linux keyrings safeStorage knows, by the names `getSelectedStorageBackend()` returns. */
const LINUX_KEYRINGS: Readonly<Record<string, string>> = {
  gnome_libsecret: "the Secret Service keyring (GNOME Keyring, libsecret)",
  kwallet: "KWallet",
  kwallet5: "KWallet 5",
  kwallet6: "KWallet 6",
};

const INSTALL_KEYRING =
  "install and unlock a keyring such as GNOME Keyring or KWallet (or start molecule-ops with " +
  "--password-store=gnome-libsecret or --password-store=kwallet6), then restart molecule-ops; " +
  'until then, give the secrets through the environment (the "environment" profile)';

export function credentialPolicy(facts: StorageFacts): CredentialPolicy {
  if (facts.platform === "darwin") {
    return facts.available
      ? { canStore: true, detail: "encrypted with a key kept in the macOS Keychain" }
      : refuse("the macOS Keychain is not available to molecule-ops; unlock it and restart molecule-ops");
  }
  if (facts.platform === "win32") {
    return facts.available
      ? { canStore: true, detail: "encrypted with Windows DPAPI for your Windows account" }
      : refuse("Windows DPAPI encryption is not available; restart molecule-ops after signing in again");
  }
  // Linux and the other Unixes: safeStorage's key comes from a desktop keyring, if any.
  if (facts.backend === "basic_text") {
    return refuse(
      "no keyring was found (safeStorage backend basic_text), so secrets would be stored effectively " +
        `unencrypted, under a key built into Electron; ${INSTALL_KEYRING}`,
    );
  }
  const keyring = LINUX_KEYRINGS[facts.backend];
  if (!keyring) {
    return refuse(
      `could not tell which keyring protects the key (safeStorage backend ${backendName(facts.backend)}); ${INSTALL_KEYRING}`,
    );
  }
  if (!facts.available) return refuse(`${keyring} is locked or not running; ${INSTALL_KEYRING}`);
  return { canStore: true, detail: `encrypted with a key kept in ${keyring}` };
}

function refuse(why: string): CredentialPolicy {
  return { canStore: false, detail: `secrets are not saved: ${why}` };
}

/** The backend's name as it may appear in a message: plain characters only, short. */
function backendName(backend: string): string {
  const name = backend.replace(/[^A-Za-z0-9_.-]/g, "").slice(0, 40);
  return name === "" ? "(none)" : name;
}
