/**
 * The admission handshake (DESIGN.md §4) on the reserved `auth` channel, run on every new
 * connection before the peer gets sync, awareness or blocks:
 *
 *   → hello   {v: 1, t: "hello", member, nonce, credential?}  both sides, at once
 *   → proof   {t: "proof", sig}                                once the other's hello is in
 *   → welcome {t: "welcome"}  or  refused {t: "refused", reason, detail?}  once the other's proof is checked
 *
 * A side is through when it has checked the other's proof *and* been welcomed: sync starts only
 * between peers that let each other in, and a refused joiner learns why.
 *
 * `sig` is the member key's signature over a transcript naming the signer's role (dialer or
 * answerer), both members and both nonces, signer's first. Each side's nonce is fresh per
 * connection, so a proof recorded on one connection is worthless on the next (replay), and the
 * role tag stops a peer from reflecting our own proof back at us. The mesh knows nothing of
 * communities: `sign` and `admit` (the app's) bind the community id into what is signed and
 * decide whether the proven member may come in (standing, a newcomer's signed join).
 */
import { fromBase64url, isBase64urlOfLength, toBase64url } from '../shared/base64url';
import { randomBytes, utf8 } from '../shared/bytes';
import type { PeerId } from '../shared/ids';
import { err, ok, type Result } from '../shared/result';

/**
 * The version of everything a peer says: this handshake, the wire, event kinds and bodies.
 * Bump it when an older build would reject what a newer one sends (a new event kind or field,
 * a new channel), so the two learn why they cannot talk (VERSION_MISMATCH) instead of one
 * dropping the other for a "malformed" update.
 */
export const PROTOCOL_VERSION = 2;
/** The refusal reason for a peer on another protocol version; its detail is the refuser's. */
export const VERSION_MISMATCH = 'protocol version';
const NONCE_BYTES = 32;
/** A join and its admission, signed, fit easily; anything larger is not an honest hello. */
export const MAX_CREDENTIAL_BYTES = 16 * 1024;
const MAX_REASON_LENGTH = 64;
/** Room for what the app adds to a refusal (e.g. a ban's reason and decision); untrusted. */
const MAX_DETAIL_LENGTH = 4_096;
/** A peer that has not proved itself by then is dropped. */
export const ADMISSION_TIMEOUT_MS = 15_000;
export const ADMISSION_TIMED_OUT = 'admission timed out';
/** Time for a refusal to leave before the connection is closed. */
const REFUSAL_FLUSH_MS = 250;

export interface AdmissionClaim {
  peer: PeerId;
  /** The member id the peer claims (base64url public key); the signature is over `transcript`. */
  member: string;
  credential: Uint8Array | null;
  transcript: Uint8Array;
  signature: Uint8Array;
}

/** What the app supplies; the mesh stays free of community code. */
export interface AdmissionHooks {
  /** Who we are, and what a peer may need to let us in (e.g. our signed join). */
  hello(): Promise<{ member: string; credential: Uint8Array | null }>;
  /** Signs a transcript with our member key (binding the community id). */
  sign(transcript: Uint8Array): Promise<Uint8Array>;
  /**
   * Checks the signature and the member's standing. An error is sent to the peer as the reason,
   * with its detail if any (the refusal is all a refused peer ever gets from us).
   */
  admit(claim: AdmissionClaim): Promise<Result<void, string | Refusal>>;
}

export interface Refusal {
  reason: string;
  detail?: string;
}

/**
 * ok: the member the peer proved to be. err: why it is out, whether it was they who refused,
 * and what they added to their refusal (untrusted, at most MAX_DETAIL_LENGTH characters).
 */
export type AdmissionOutcome = Result<string, { reason: string; byPeer: boolean; detail?: string }>;

export interface Handshake {
  /** Call once the channel is open: sends our hello. */
  start(): void;
  receive(payload: Uint8Array): void;
  readonly outcome: Promise<AdmissionOutcome>;
}

interface Hello {
  member: string;
  nonce: Uint8Array;
  credential: Uint8Array | null;
}

export function transcriptOf(
  signerRole: 'dialer' | 'answerer',
  signer: string,
  verifier: string,
  signerNonce: Uint8Array,
  verifierNonce: Uint8Array,
): Uint8Array {
  return utf8(
    [
      'moot/admission/v1',
      signerRole,
      signer,
      verifier,
      toBase64url(signerNonce),
      toBase64url(verifierNonce),
    ].join('\n'),
  );
}

function parse(payload: Uint8Array): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

const encode = (message: object) => utf8(JSON.stringify(message));

const isVersion = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0;

function parseHello(m: Record<string, unknown>): Hello | null {
  if (m.v !== PROTOCOL_VERSION) return null;
  if (!isBase64urlOfLength(m.member, 32) || !isBase64urlOfLength(m.nonce, NONCE_BYTES)) return null;
  let credential: Uint8Array | null = null;
  if (m.credential !== undefined) {
    if (
      typeof m.credential !== 'string' ||
      m.credential.length > (MAX_CREDENTIAL_BYTES * 4) / 3 + 4
    )
      return null;
    credential = fromBase64url(m.credential);
    if (!credential) return null;
  }
  return { member: m.member, nonce: fromBase64url(m.nonce)!, credential };
}

export function createHandshake(options: {
  peer: PeerId;
  initiator: boolean;
  hooks: AdmissionHooks;
  send: (payload: Uint8Array) => void;
}): Handshake {
  const { peer, hooks } = options;
  const ourRole = options.initiator ? 'dialer' : 'answerer';
  const theirRole = options.initiator ? 'answerer' : 'dialer';
  const ourNonce = randomBytes(NONCE_BYTES);
  let ours: Promise<{ member: string; credential: Uint8Array | null }> | null = null;
  let theirs: Hello | null = null;
  let proofSeen = false;
  /** The member we verified, once we did; and whether the peer welcomed us. */
  let verified: string | null = null;
  let welcomed = false;
  let settled = false;
  let settle: (outcome: AdmissionOutcome) => void = () => undefined;
  const outcome = new Promise<AdmissionOutcome>((resolve) => (settle = resolve));
  // simple-peer hands us the peer's first messages before our own channel counts as open, so
  // our answers wait until start() has sent our hello: the peer must see hello before proof.
  let helloSent = false;
  const outbox: Uint8Array[] = [];
  const send = (payload: Uint8Array) => {
    if (helloSent) options.send(payload);
    else outbox.push(payload);
  };
  const timer = setTimeout(
    () => finish(err({ reason: ADMISSION_TIMED_OUT, byPeer: false })),
    ADMISSION_TIMEOUT_MS,
  );

  function finish(result: AdmissionOutcome): void {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    settle(result);
  }

  /**
   * We turn the peer away: tell it why, give the message a moment to leave, then settle (with
   * `ourDetail` for our own side, e.g. the version the peer spoke).
   */
  function refuse(reason: string, detail?: string, ourDetail?: string): void {
    if (settled) return;
    const message: Record<string, string> = {
      t: 'refused',
      reason: reason.slice(0, MAX_REASON_LENGTH),
    };
    if (detail !== undefined) message.detail = detail.slice(0, MAX_DETAIL_LENGTH);
    send(encode(message));
    settled = true;
    clearTimeout(timer);
    const outcome = ourDetail === undefined ? { reason } : { reason, detail: ourDetail };
    setTimeout(() => settle(err({ ...outcome, byPeer: false })), REFUSAL_FLUSH_MS);
  }

  function hello() {
    ours ??= hooks.hello();
    return ours;
  }

  async function sendProof(them: Hello): Promise<void> {
    const me = await hello();
    const sig = await hooks.sign(
      transcriptOf(ourRole, me.member, them.member, ourNonce, them.nonce),
    );
    if (!settled) send(encode({ t: 'proof', sig: toBase64url(sig) }));
  }

  async function checkProof(them: Hello, sig: Uint8Array): Promise<void> {
    const me = await hello();
    const verdict = await hooks.admit({
      peer,
      member: them.member,
      credential: them.credential,
      transcript: transcriptOf(theirRole, them.member, me.member, them.nonce, ourNonce),
      signature: sig,
    });
    if (settled) return;
    if (!verdict.ok) {
      const { error } = verdict;
      return typeof error === 'string' ? refuse(error) : refuse(error.reason, error.detail);
    }
    send(encode({ t: 'welcome' }));
    verified = them.member;
    if (welcomed) finish(ok(verified));
  }

  function fail(e: unknown): void {
    refuse(`admission failed: ${(e as Error)?.message ?? String(e)}`);
  }

  function sendHello(me: { member: string; credential: Uint8Array | null }): void {
    const message: Record<string, unknown> = {
      v: PROTOCOL_VERSION,
      t: 'hello',
      member: me.member,
      nonce: toBase64url(ourNonce),
    };
    if (me.credential) message.credential = toBase64url(me.credential);
    options.send(encode(message));
  }

  return {
    outcome,
    start() {
      void hello()
        .then((me) => {
          if (!settled) sendHello(me);
          helloSent = true;
          for (const payload of outbox.splice(0)) options.send(payload);
        })
        .catch(fail);
    },
    receive(payload) {
      if (settled) return;
      const m = parse(payload);
      if (m === null) return refuse('malformed admission message');
      if (m.t === 'refused') {
        const reason = typeof m.reason === 'string' ? m.reason.slice(0, MAX_REASON_LENGTH) : '';
        if (typeof m.detail !== 'string') return finish(err({ reason, byPeer: true }));
        return finish(err({ reason, byPeer: true, detail: m.detail.slice(0, MAX_DETAIL_LENGTH) }));
      }
      if (m.t === 'welcome') {
        if (welcomed) return refuse('second welcome');
        welcomed = true;
        if (verified !== null) finish(ok(verified));
        return;
      }
      if (m.t === 'hello') {
        if (theirs !== null) return refuse('second hello');
        // Another version: both sides learn the other's (ours in the refusal, theirs here).
        if (isVersion(m.v) && m.v !== PROTOCOL_VERSION)
          return refuse(VERSION_MISMATCH, String(PROTOCOL_VERSION), String(m.v));
        theirs = parseHello(m);
        if (theirs === null) return refuse('malformed hello');
        return void sendProof(theirs).catch(fail);
      }
      if (m.t === 'proof') {
        if (theirs === null || proofSeen) return refuse('proof out of turn');
        proofSeen = true;
        const sig = isBase64urlOfLength(m.sig, 64) ? fromBase64url(m.sig) : null;
        if (!sig) return refuse('malformed proof');
        return void checkProof(theirs, sig).catch(fail);
      }
      refuse('unknown admission message');
    },
  };
}
