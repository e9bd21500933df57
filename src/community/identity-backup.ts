/**
 * An identity in a passphrase-encrypted file (docs/identity-backup.md): the member's Ed25519
 * seed, sealed with AES-256-GCM under a key stretched from the passphrase by PBKDF2-SHA-256.
 * The member id travels in the clear (it is public) and is bound into the seal as associated
 * data, so a file cannot claim one member and restore another. Pure WebCrypto, no storage.
 */
import { fromBase64url, isBase64urlOfLength, toBase64url } from '../shared/base64url';
import type { MemberId } from '../shared/ids';
import { err, ok, type Result } from '../shared/result';
import { identityFromSeed, type Identity } from './identity';

export const BACKUP_FORMAT = 'moot-identity-backup';
export const BACKUP_VERSION = 1;
/** OWASP's 2023 figure for PBKDF2-HMAC-SHA-256; about half a second in a current browser. */
export const BACKUP_ITERATIONS = 600_000;
/** Files asking for fewer are refused (too weak to trust), or more (a stalled page). */
const MIN_ITERATIONS = 100_000;
const MAX_ITERATIONS = 10_000_000;
/** Shorter passphrases make a stolen file guessable however slow the stretching. */
export const MIN_PASSPHRASE_LENGTH = 10;
/** The seed is the last 32 bytes of an Ed25519 PKCS#8 key (RFC 8410). */
const SEED_BYTES = 32;

/** The sealed identity, as it sits in a backup file or inside a community export. */
export interface IdentityBackup {
  format: typeof BACKUP_FORMAT;
  version: typeof BACKUP_VERSION;
  member: MemberId;
  kdf: { name: 'PBKDF2'; hash: 'SHA-256'; iterations: number; salt: string };
  cipher: { name: 'AES-GCM'; iv: string };
  /** AES-GCM ciphertext and tag of the 32-byte seed. */
  sealed: string;
}

/** Why an identity cannot be backed up: made non-extractable before backups existed. */
export const NOT_EXTRACTABLE =
  "This browser's identity was made before Moot could back identities up, and its key cannot be read out, so it can't be backed up. Link your other device to it instead (a device link), or keep using this browser.";

export function passphraseProblem(passphrase: string): string | null {
  if ([...passphrase].length < MIN_PASSPHRASE_LENGTH)
    return `Choose a passphrase of at least ${MIN_PASSPHRASE_LENGTH} characters: whoever gets the file can try guesses offline.`;
  return null;
}

const associated = (member: string) =>
  new TextEncoder().encode(`${BACKUP_FORMAT}/v${BACKUP_VERSION}\n${member}`);

async function stretch(
  passphrase: string,
  salt: Uint8Array,
  iterations: number,
  use: KeyUsage,
): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(passphrase.normalize('NFC')),
    'PBKDF2',
    false,
    ['deriveKey'],
  );
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt: salt as BufferSource, iterations },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    [use],
  );
}

/** Seals the identity's seed; refuses an identity whose key cannot be read out. */
export async function sealIdentity(
  identity: Identity,
  passphrase: string,
  iterations = BACKUP_ITERATIONS,
): Promise<Result<IdentityBackup>> {
  const problem = passphraseProblem(passphrase);
  if (problem) return err(problem);
  if (!identity.privateKey.extractable) return err(NOT_EXTRACTABLE);
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', identity.privateKey));
  const seed = pkcs8.slice(pkcs8.length - SEED_BYTES);
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const key = await stretch(passphrase, salt, iterations, 'encrypt');
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: associated(identity.memberId) },
    key,
    seed,
  );
  seed.fill(0);
  pkcs8.fill(0);
  return ok({
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    member: identity.memberId,
    kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations, salt: toBase64url(salt) },
    cipher: { name: 'AES-GCM', iv: toBase64url(iv) },
    sealed: toBase64url(new Uint8Array(sealed)),
  });
}

/** Checks the shape of an untrusted backup object (from a file); decrypts nothing. */
export function parseBackup(value: unknown): Result<IdentityBackup> {
  const damaged = err('the identity backup in it is damaged');
  if (typeof value !== 'object' || value === null) return damaged;
  const v = value as Record<string, unknown>;
  if (v.format !== BACKUP_FORMAT) return err('it is not a Moot identity backup');
  if (v.version !== BACKUP_VERSION)
    return err('it was written by a newer version of Moot; update Moot and try again');
  const kdf = (v.kdf ?? {}) as Record<string, unknown>;
  const cipher = (v.cipher ?? {}) as Record<string, unknown>;
  if (
    !isBase64urlOfLength(v.member, 32) ||
    kdf.name !== 'PBKDF2' ||
    kdf.hash !== 'SHA-256' ||
    typeof kdf.iterations !== 'number' ||
    !Number.isInteger(kdf.iterations) ||
    kdf.iterations < MIN_ITERATIONS ||
    kdf.iterations > MAX_ITERATIONS ||
    !isBase64urlOfLength(kdf.salt, 16) ||
    cipher.name !== 'AES-GCM' ||
    !isBase64urlOfLength(cipher.iv, 12) ||
    // The seed plus AES-GCM's 16-byte tag.
    !isBase64urlOfLength(v.sealed, SEED_BYTES + 16)
  )
    return damaged;
  return ok(value as IdentityBackup);
}

/**
 * Opens a sealed identity. A wrong passphrase and a tampered file look the same to AES-GCM;
 * both are refused without telling which. The restored key is extractable, so it can be
 * backed up again.
 */
export async function openIdentity(
  backup: IdentityBackup,
  passphrase: string,
): Promise<Result<Identity>> {
  const key = await stretch(
    passphrase,
    fromBase64url(backup.kdf.salt)!,
    backup.kdf.iterations,
    'decrypt',
  );
  let seed: Uint8Array;
  try {
    seed = new Uint8Array(
      await crypto.subtle.decrypt(
        {
          name: 'AES-GCM',
          iv: fromBase64url(backup.cipher.iv)! as BufferSource,
          additionalData: associated(backup.member),
        },
        key,
        fromBase64url(backup.sealed)! as BufferSource,
      ),
    );
  } catch {
    return err('the passphrase is wrong (or the file was changed)');
  }
  const identity = await identityFromSeed(seed);
  seed.fill(0);
  if (identity.memberId !== backup.member) return err('the identity backup in it is damaged');
  return ok(identity);
}
