/**
 * Saves bytes the core made (an export) as a download. One path for Electron and the browser:
 * a Blob URL on an <a download>; the URL is released once the click has been handled.
 */
export function saveBytes(filename: string, contentType: string, bytes: Uint8Array): void {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: contentType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
