import { safeStorage } from "electron";
import { credentialPolicy } from "../credential-policy";
import { EncryptedCredentialsFile, type SecretCipher } from "../encrypted-credentials-file";

/**
 * The asynchronous safeStorage API (DESIGN: credentials through safeStorage's async API). It
 * arrived in Electron 42 (electron/electron#49054); the pinned Electron 41 has only the
 * synchronous one, so both are declared here and the async one is used whenever it exists.
 */
interface AsyncSafeStorage {
  isAsyncEncryptionAvailable(): Promise<boolean>;
  encryptStringAsync(plainText: string): Promise<Buffer>;
  decryptStringAsync(encrypted: Buffer): Promise<{ shouldReEncrypt: boolean; result: string }>;
}

const storage = safeStorage as typeof safeStorage & Partial<AsyncSafeStorage>;

/**
 * Profile secrets sealed by Electron's safeStorage in `<userData>/credentials.json`. Whether it
 * may store at all is decided once, after `ready`, from the platform and the Linux keyring
 * backend (see credential-policy.ts: `basic_text` is refused, and Settings says why).
 */
export class SafeStorageCredentials extends EncryptedCredentialsFile {
  static async open(path: string): Promise<SafeStorageCredentials> {
    const cipher = safeStorageCipher();
    const policy = credentialPolicy({
      platform: process.platform,
      backend: process.platform === "linux" ? storage.getSelectedStorageBackend() : "",
      available: await cipher.available(),
    });
    return new SafeStorageCredentials(path, cipher, policy);
  }
}

function safeStorageCipher(): SecretCipher & { available(): Promise<boolean> } {
  const { isAsyncEncryptionAvailable, encryptStringAsync, decryptStringAsync } = storage;
  if (isAsyncEncryptionAvailable && encryptStringAsync && decryptStringAsync) {
    return {
      available: () => isAsyncEncryptionAvailable.call(storage).catch(() => false),
      encrypt: (plain) => encryptStringAsync.call(storage, plain),
      decrypt: async (sealed) => {
        const opened = await decryptStringAsync.call(storage, sealed);
        return { plain: opened.result, stale: opened.shouldReEncrypt };
      },
    };
  }
  // Electron 41: the synchronous calls, kept off the IPC handlers' hot path (secrets are read
  // once per profile session).
  return {
    available: async () => storage.isEncryptionAvailable(),
    encrypt: async (plain) => storage.encryptString(plain),
    decrypt: async (sealed) => ({ plain: storage.decryptString(sealed), stale: false }),
  };
}
