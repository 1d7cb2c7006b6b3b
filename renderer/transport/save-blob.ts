/**
 * Hands a Blob to the browser as a real file download (<a download> on an object URL): no data:
 * URL size limits, and nothing is ever written into the page itself.
 */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  a.rel = "noopener";
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  // Revoked later, not now: the download reads the object URL after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** A name safe on every file system: letters, digits, dot, dash and underscore only. */
export function safeFileName(text: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "");
  return cleaned.slice(0, 120) || "file";
}

/** The file name of a Content-Disposition header, if it names one. */
export function fileNameOf(disposition: string | null): string | null {
  if (!disposition) return null;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (star?.[1]) {
    try {
      return safeFileName(decodeURIComponent(star[1]));
    } catch {
      // fall through to the plain form
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  return plain?.[1] ? safeFileName(plain[1]) : null;
}
