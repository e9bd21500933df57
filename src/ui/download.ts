/** Hands bytes to the browser as a file download (exports and backups). */
export function downloadFile(name: string, bytes: Uint8Array, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  // Revoked later, not at once: the download starts asynchronously.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
