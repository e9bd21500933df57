/**
 * The UI↔app contract for this profile's identity backup (docs/identity-backup.md). Reached
 * as `AppApi.identity`.
 */
import type { MemberId } from '../shared/ids';
import type { Result } from '../shared/result';

export interface IdentityApi {
  /** This profile's identity sealed under `passphrase`, as a file to download. */
  backup(passphrase: string): Promise<Result<{ name: string; bytes: Uint8Array }>>;
  /**
   * Makes the backed-up identity this profile's; refused (nothing changed) on a wrong
   * passphrase, or when the current identity belongs to a community here. Open communities
   * are closed so they reopen as the restored member.
   */
  restore(file: Uint8Array, passphrase: string): Promise<Result<MemberId>>;
}
