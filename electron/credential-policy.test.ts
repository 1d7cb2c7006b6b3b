import { describe, expect, it } from "vitest";
import { credentialPolicy } from "./credential-policy";

describe("credentialPolicy on Linux", () => {
  it("refuses basic_text, says why and what to do", () => {
    const p = credentialPolicy({ platform: "linux", backend: "basic_text", available: true });
    expect(p.canStore).toBe(false);
    expect(p.detail).toBe(
      "secrets are not saved: no keyring was found (safeStorage backend basic_text), so secrets would be " +
        "stored effectively unencrypted, under a key built into Electron; install and unlock a keyring such as " +
        "GNOME Keyring or KWallet (or start molecule-ops with --password-store=gnome-libsecret or " +
        "--password-store=kwallet6), then restart molecule-ops; until then, give the secrets through the " +
        'environment (the "environment" profile)',
    );
  });

  it.each([
    ["gnome_libsecret", "encrypted with a key kept in the Secret Service keyring (GNOME Keyring, libsecret)"],
    ["kwallet", "encrypted with a key kept in KWallet"],
    ["kwallet5", "encrypted with a key kept in KWallet 5"],
    ["kwallet6", "encrypted with a key kept in KWallet 6"],
  ])("stores with %s", (backend, detail) => {
    expect(credentialPolicy({ platform: "linux", backend, available: true })).toEqual({ canStore: true, detail });
  });

  it("refuses a keyring that is locked or not running", () => {
    const p = credentialPolicy({ platform: "linux", backend: "gnome_libsecret", available: false });
    expect(p.canStore).toBe(false);
    expect(p.detail).toMatch(/^secrets are not saved: the Secret Service keyring .* is locked or not running; install/);
  });

  it("refuses when it cannot tell the backend (asked before ready, or a name it does not know)", () => {
    for (const backend of ["unknown", "", "portal_secret", "Basic_Text"]) {
      const p = credentialPolicy({ platform: "linux", backend, available: true });
      expect(p.canStore).toBe(false);
      expect(p.detail).toMatch(/^secrets are not saved: could not tell which keyring protects the key/);
      expect(p.detail).toContain("GNOME Keyring or KWallet");
    }
  });

  it("keeps a hostile backend name out of the message", () => {
    const p = credentialPolicy({ platform: "linux", backend: "x\u001b[31m<script>", available: true });
    expect(p.detail).toContain("(safeStorage backend x31mscript)");
  });

  it("applies the Linux rules to the other Unixes", () => {
    expect(credentialPolicy({ platform: "freebsd", backend: "basic_text", available: true }).canStore).toBe(false);
    expect(credentialPolicy({ platform: "openbsd", backend: "kwallet6", available: true }).canStore).toBe(true);
  });
});

describe("credentialPolicy on macOS and Windows", () => {
  it("stores with the Keychain and DPAPI, whatever the backend string", () => {
    expect(credentialPolicy({ platform: "darwin", backend: "", available: true })).toEqual({
      canStore: true,
      detail: "encrypted with a key kept in the macOS Keychain",
    });
    expect(credentialPolicy({ platform: "win32", backend: "basic_text", available: true })).toEqual({
      canStore: true,
      detail: "encrypted with Windows DPAPI for your Windows account",
    });
  });

  it("refuses, with a reason, when encryption is unavailable", () => {
    const mac = credentialPolicy({ platform: "darwin", backend: "", available: false });
    const win = credentialPolicy({ platform: "win32", backend: "", available: false });
    expect(mac).toEqual({
      canStore: false,
      detail:
        "secrets are not saved: the macOS Keychain is not available to molecule-ops; unlock it and restart molecule-ops",
    });
    expect(win.canStore).toBe(false);
    expect(win.detail).toMatch(/^secrets are not saved: Windows DPAPI encryption is not available/);
  });
});
