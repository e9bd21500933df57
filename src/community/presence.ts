/**
 * Signed, expiring presence (docs/membership.md, "Presence"): a small record a browser signs
 * with its own key every heartbeat, saying "this key is online in this community until
 * `expiresAt`". Peers beyond our direct links are known online only through these records, so
 * nobody can make a member look online without that member's (or their live device's) key.
 *
 * `at` doubles as the record's sequence number: a record no newer than the last one we accepted
 * for that key is a replay or a duplicate, and never extends anyone's online time.
 */
import { fromBase64url, toBase64url } from '../shared/base64url';
import { utf8 } from '../shared/bytes';
import type { CommunityId, MemberId } from '../shared/ids';
import { err, ok, type Result } from '../shared/result';
import { memberOf } from './devices/resolve';
import { isInGoodStanding } from './governance/policy';
import { sign, verifySignature, type Identity } from './identity';
import { LIMITS } from './limits';
import type { CommunityState } from './state';

/** How long one record says its key is online; a few heartbeats, so one lost record is no gap. */
export const PRESENCE_TTL_MS = 60_000;
/** Anything bigger is not a presence record. */
const MAX_RECORD_BYTES = 1_024;

export interface PresenceRecord {
  community: CommunityId;
  /** The signing key: a member's own, or one of their devices'. */
  key: MemberId;
  at: number;
  expiresAt: number;
  sig: string;
}

/** What the signature covers; the prefix keeps it from ever passing as an event or a proof. */
function signedBytes(r: Omit<PresenceRecord, 'sig'>): Uint8Array {
  return utf8(`moot-presence\n${r.community}\n${r.key}\n${r.at}\n${r.expiresAt}`);
}

export async function signPresence(
  identity: Identity,
  community: CommunityId,
  at: number,
): Promise<Uint8Array> {
  const record = { community, key: identity.memberId, at, expiresAt: at + PRESENCE_TTL_MS };
  const sig = toBase64url(await sign(identity.privateKey, signedBytes(record)));
  return utf8(JSON.stringify({ ...record, sig }));
}

/** The record's shape, or null for anything malformed (the sender is penalised for it). */
export function parsePresence(bytes: Uint8Array): PresenceRecord | null {
  if (bytes.length > MAX_RECORD_BYTES) return null;
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { community, key, at, expiresAt, sig } = value as Record<string, unknown>;
  if (typeof community !== 'string' || typeof key !== 'string' || typeof sig !== 'string')
    return null;
  if (!Number.isSafeInteger(at) || !Number.isSafeInteger(expiresAt)) return null;
  return {
    community: community as CommunityId,
    key: key as MemberId,
    at: at as number,
    expiresAt: expiresAt as number,
    sig,
  };
}

export async function verifyPresence(record: PresenceRecord): Promise<boolean> {
  const publicKey = fromBase64url(record.key);
  const signature = fromBase64url(record.sig);
  if (!publicKey || !signature) return false;
  return verifySignature(publicKey, signedBytes(record), signature);
}

/**
 * Why a well-signed record does not count now, or ok with the member it shows online. These
 * are not the sender's fault (clocks differ, states are still syncing): dropped, not penalised.
 */
export function presenceStanding(
  record: PresenceRecord,
  community: CommunityId,
  state: CommunityState,
  now: number,
): Result<MemberId> {
  if (record.community !== community) return err('another community');
  if (record.expiresAt <= now) return err('expired');
  if (record.expiresAt - record.at > PRESENCE_TTL_MS) return err('lasts too long');
  if (record.at > now + LIMITS.futureSkewMs) return err('dated in the future');
  const device = state.devices.get(record.key);
  if (device?.revoked) return err('revoked device');
  const member = memberOf(state, record.key);
  if (!isInGoodStanding(state, member)) return err('not a member in good standing');
  return ok(member);
}
