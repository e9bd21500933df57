/**
 * Keys and envelopes for the signaling relay. The relay only ever sees the topic (an HMAC of the
 * community secret) and AES-GCM ciphertext, so it learns no community id, name, member or SDP.
 * Everything decrypted here came through an untrusted relay: failures are `null`, never thrown.
 */
import { fromBase64url, toBase64url } from '../shared/base64url';
import { concatBytes, randomBytes, utf8 } from '../shared/bytes';
import type { PeerId } from '../shared/ids';

const TOPIC_LABEL = 'moot/topic/v1';
const INBOX_LABEL = 'moot/inbox/v1/';
const SIGNAL_INFO = 'moot/signal/v1';
const IV_BYTES = 12;
/** An SDP with many candidates is a few KiB; anything far larger is not ours. */
const MAX_ENVELOPE_CHARS = 256 * 1024;

/**
 * `inbox`: the sender listens on its own inbox topic (`SignalKeys.inbox`), so what is addressed
 * to it may go there, to it alone, instead of to everyone on the community topic.
 */
export type SignalEnvelope = (
  | { type: 'announce'; from: PeerId; to?: PeerId; p?: number }
  /** `conn` names one connection attempt, so a late candidate never reaches a newer one. */
  | { type: 'signal'; from: PeerId; to: PeerId; conn: string; signal: object }
) & { inbox?: true };

export interface SignalKeys {
  topic: string;
  key: CryptoKey;
  /** A peer's inbox topic: HMAC(secret, `moot/inbox/v1/` + PeerId), opaque to the relay. */
  inbox(peer: PeerId): Promise<string>;
}

const buffer = (bytes: Uint8Array): BufferSource => bytes as BufferSource;

async function topicKey(secret: Uint8Array): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', buffer(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
}

async function topicFor(hmacKey: CryptoKey, label: string): Promise<string> {
  const mac = await crypto.subtle.sign('HMAC', hmacKey, buffer(utf8(label)));
  return toBase64url(new Uint8Array(mac));
}

export async function deriveTopic(secret: Uint8Array): Promise<string> {
  return topicFor(await topicKey(secret), TOPIC_LABEL);
}

export async function deriveSignalKey(secret: Uint8Array): Promise<CryptoKey> {
  const ikm = await crypto.subtle.importKey('raw', buffer(secret), 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: buffer(utf8(SIGNAL_INFO)) },
    ikm,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

export async function deriveSignalKeys(secret: Uint8Array): Promise<SignalKeys> {
  const [hmacKey, key] = await Promise.all([topicKey(secret), deriveSignalKey(secret)]);
  const topic = await topicFor(hmacKey, TOPIC_LABEL);
  return { topic, key, inbox: (peer) => topicFor(hmacKey, INBOX_LABEL + peer) };
}

export async function encryptEnvelope(key: CryptoKey, envelope: SignalEnvelope): Promise<string> {
  const iv = randomBytes(IV_BYTES);
  const plain = utf8(JSON.stringify(envelope));
  const cipher = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv: buffer(iv) },
    key,
    buffer(plain),
  );
  return toBase64url(concatBytes(iv, new Uint8Array(cipher)));
}

/** Peer and connection ids: short opaque strings. */
const isPeerId = (value: unknown): value is PeerId =>
  typeof value === 'string' && value.length > 0 && value.length <= 64;

/** Untrusted relay data → envelope, or null for anything that is not one of ours. */
export async function decryptEnvelope(
  key: CryptoKey,
  data: unknown,
): Promise<SignalEnvelope | null> {
  if (typeof data !== 'string' || data.length > MAX_ENVELOPE_CHARS) return null;
  const bytes = fromBase64url(data);
  if (bytes === null || bytes.length < IV_BYTES + 16) return null;
  let value: unknown;
  try {
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: buffer(bytes.subarray(0, IV_BYTES)) },
      key,
      buffer(bytes.subarray(IV_BYTES)),
    );
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plain));
  } catch {
    return null;
  }
  return parseEnvelope(value);
}

function parseEnvelope(value: unknown): SignalEnvelope | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (!isPeerId(v.from)) return null;
  const inbox = v.inbox === true ? { inbox: true as const } : {};
  if (v.type === 'announce') {
    // p: how likely a full peer should answer (partial mesh, topology.ts); 0..1 or absent.
    const p = typeof v.p === 'number' && v.p >= 0 && v.p <= 1 ? { p: v.p } : {};
    if (v.to === undefined) return { type: 'announce', from: v.from, ...p, ...inbox };
    return isPeerId(v.to) ? { type: 'announce', from: v.from, to: v.to, ...p, ...inbox } : null;
  }
  if (
    v.type === 'signal' &&
    isPeerId(v.to) &&
    isPeerId(v.conn) &&
    typeof v.signal === 'object' &&
    v.signal !== null
  ) {
    return { type: 'signal', from: v.from, to: v.to, conn: v.conn, signal: v.signal, ...inbox };
  }
  return null;
}
