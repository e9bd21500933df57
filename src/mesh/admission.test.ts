import { describe, expect, it } from 'vitest';
import { toBase64url } from '../shared/base64url';
import { randomBytes, utf8 } from '../shared/bytes';
import type { PeerId } from '../shared/ids';
import { ok } from '../shared/result';
import {
  createHandshake,
  PROTOCOL_VERSION,
  VERSION_MISMATCH,
  type AdmissionHooks,
} from './admission';

const hooks: AdmissionHooks = {
  hello: async () => ({ member: toBase64url(randomBytes(32)), credential: null }),
  sign: async () => randomBytes(64),
  admit: async () => ok(undefined),
};

/** Our side of a handshake, with what it sent decoded. */
function ourSide() {
  const sent: Record<string, unknown>[] = [];
  const handshake = createHandshake({
    peer: 'peer' as PeerId,
    initiator: true,
    hooks,
    send: (payload) => sent.push(JSON.parse(new TextDecoder().decode(payload))),
  });
  handshake.start();
  return { handshake, sent };
}

const helloFrom = (v: unknown) =>
  utf8(
    JSON.stringify({
      v,
      t: 'hello',
      member: toBase64url(randomBytes(32)),
      nonce: toBase64url(randomBytes(32)),
    }),
  );

describe('admission across protocol versions', () => {
  it('tells a peer on a newer version ours, and learns theirs, instead of calling it malformed', async () => {
    const { handshake, sent } = ourSide();
    await new Promise((resolve) => setTimeout(resolve, 0));
    handshake.receive(helloFrom(PROTOCOL_VERSION + 1));
    const outcome = await handshake.outcome;
    expect(outcome).toEqual({
      ok: false,
      error: { reason: VERSION_MISMATCH, byPeer: false, detail: String(PROTOCOL_VERSION + 1) },
    });
    expect(sent.at(-1)).toEqual({
      t: 'refused',
      reason: VERSION_MISMATCH,
      detail: String(PROTOCOL_VERSION),
    });
  });

  it('learns the version of a peer that refused us for ours', async () => {
    const { handshake } = ourSide();
    const refusal = {
      t: 'refused',
      reason: VERSION_MISMATCH,
      detail: String(PROTOCOL_VERSION + 3),
    };
    handshake.receive(utf8(JSON.stringify(refusal)));
    expect(await handshake.outcome).toEqual({
      ok: false,
      error: { reason: VERSION_MISMATCH, byPeer: true, detail: String(PROTOCOL_VERSION + 3) },
    });
  });

  it('still refuses a hello with no usable version as malformed', async () => {
    const { handshake, sent } = ourSide();
    await new Promise((resolve) => setTimeout(resolve, 0));
    handshake.receive(helloFrom('2'));
    expect(await handshake.outcome).toMatchObject({
      ok: false,
      error: { reason: 'malformed hello' },
    });
    expect(sent.at(-1)).toMatchObject({ t: 'refused', reason: 'malformed hello' });
  });
});
