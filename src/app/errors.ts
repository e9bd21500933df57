import { err, ok, type Result } from '../shared/result';

/** Turns what the browser throws into words a member can act on. */
export function describeError(error: unknown, doing: string): string {
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  if (name === 'QuotaExceededError') {
    return `Could not ${doing}: this browser's storage for Moot is full. Free space by removing files or communities you no longer need, then try again.`;
  }
  if (name === 'NotSupportedError') {
    return `Could not ${doing}: this browser lacks a feature Moot needs (Ed25519 signatures). Use a current Chromium, Firefox or Safari.`;
  }
  const detail = error instanceof Error ? error.message : String(error);
  return `Could not ${doing}: ${detail}`;
}

/**
 * Runs one write a member asked for: a known problem is refused before anything is written,
 * and whatever the write throws (a full disk, say) comes back as words, not an exception.
 */
export async function write(
  action: () => Promise<unknown>,
  problem: string | null,
): Promise<Result<void>> {
  if (problem) return err(problem);
  try {
    await action();
    return ok(undefined);
  } catch (e) {
    return err(describeError(e, 'save that'));
  }
}
