/**
 * The admission handshake end to end over an in-memory pipe, with the real community hooks:
 * a member and a valid newcomer get in; an expired link, a key without a join, an impersonator,
 * a replayed proof and a proof made for another community do not (THREATS 23, 25, 26).
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { CommunityDoc } from '../../community/community-doc';
import { generateIdentity, identityFromSeed } from '../../community/identity';
import { signAdmission } from '../../community/invites/admission-proof';
import { writeJoin } from '../../community/membership';
import {
  foundTestCommunity,
  joinTestCommunity,
  type TestCommunity,
} from '../../community/test-helpers';
import { createHandshake, transcriptOf, type AdmissionHooks } from '../../mesh/admission';
import { toBase64url } from '../../shared/base64url';
import { utf8 } from '../../shared/bytes';
import type { CommunityId, PeerId } from '../../shared/ids';
import { admissionHooks } from './admission-hooks';
import { handshake, refusedBecause } from './test-handshake';

/** A newcomer who wrote a join through `t`'s invite (seed, event) but has synced nothing. */
async function newcomer(t: TestCommunity, invite?: { seed: Uint8Array; event: string }) {
  const identity = await generateIdentity();
  const cdoc = await CommunityDoc.open(new Y.Doc(), t.founded.community, identity);
  await writeJoin(
    cdoc,
    (invite ?? { seed: t.founded.inviteSeed, event: t.founded.inviteEvent }) as never,
  );
  return { identity, cdoc };
}

describe('admission handshake', () => {
  it('admits a member and a newcomer with a join through a live invite', async () => {
    const t = await foundTestCommunity();
    const bob = await joinTestCommunity(t, 'Bob');
    const founderHooks = admissionHooks(t.cdoc, t.founder);
    const withBob = await handshake(admissionHooks(bob.cdoc, bob.identity), founderHooks);
    expect(withBob.dialer).toEqual({ ok: true, value: t.founder.memberId });
    expect(withBob.answerer).toEqual({ ok: true, value: bob.identity.memberId });

    const cleo = await newcomer(t);
    const withCleo = await handshake(founderHooks, admissionHooks(cleo.cdoc, cleo.identity));
    expect(withCleo.dialer).toEqual({ ok: true, value: cleo.identity.memberId });
    expect(withCleo.answerer.ok).toBe(true); // Cleo knows nothing yet: bootstrap.
  });

  it('answers a hello that arrives before its own channel opened, hello first', async () => {
    const t = await foundTestCommunity();
    const bob = await joinTestCommunity(t, 'Bob');
    const result = await handshake(
      admissionHooks(bob.cdoc, bob.identity),
      admissionHooks(t.cdoc, t.founder),
      true,
    );
    expect(result.dialer.ok && result.answerer.ok).toBe(true);
    const fromAnswerer = result.sent.filter((m) => m.from === 'answerer');
    expect(new TextDecoder().decode(fromAnswerer[0]!.payload)).toContain('"hello"');
  });

  it('refuses a newcomer whose invite expired by the admitting member’s clock, and says why', async () => {
    const t = await foundTestCommunity();
    const seed = crypto.getRandomValues(new Uint8Array(32));
    const key = await identityFromSeed(seed);
    const invite = await t.cdoc.append('invite.create', {
      publicKey: key.memberId,
      label: 'old',
      expiresAt: Date.now() - 1,
      maxUses: null,
    });
    const dan = await newcomer(t, { seed, event: invite.id });
    const result = await handshake(
      admissionHooks(dan.cdoc, dan.identity),
      admissionHooks(t.cdoc, t.founder),
    );
    expect(refusedBecause(result.answerer)).toBe('invite-expired');
    expect(result.dialer).toEqual({ ok: false, error: { reason: 'invite-expired', byPeer: true } });
  });

  it('gives a secret holder without a join nothing', async () => {
    const t = await foundTestCommunity();
    const eve = await generateIdentity();
    const eveDoc = await CommunityDoc.open(new Y.Doc(), t.founded.community, eve);
    const result = await handshake(admissionHooks(eveDoc, eve), admissionHooks(t.cdoc, t.founder));
    expect(refusedBecause(result.answerer)).toBe('not-a-member');
    expect(result.dialer).toEqual({ ok: false, error: { reason: 'not-a-member', byPeer: true } });
    // The founder never welcomed her: the mesh starts no sync without a welcome.
    const texts = result.sent
      .filter((m) => m.from === 'answerer')
      .map((m) => new TextDecoder().decode(m.payload));
    expect(texts.some((text) => text.includes('"welcome"'))).toBe(false);
  });

  it('refuses an impersonator: the founder’s id, another key’s signature', async () => {
    const t = await foundTestCommunity();
    const mallory = await generateIdentity();
    const impostor: AdmissionHooks = {
      hello: async () => ({ member: t.founder.memberId, credential: null }),
      sign: (transcript) => signAdmission(mallory, t.founded.community, transcript),
      admit: async () => ({ ok: true, value: undefined }),
    };
    const result = await handshake(impostor, admissionHooks(t.cdoc, t.founder));
    expect(refusedBecause(result.answerer)).toBe('bad-proof');
  });

  it('refuses a proof made for another community by the same key', async () => {
    const t = await foundTestCommunity();
    const other = 'A'.repeat(43) as CommunityId;
    const bob = await joinTestCommunity(t, 'Bob');
    const hooks = admissionHooks(bob.cdoc, bob.identity);
    const elsewhere: AdmissionHooks = {
      ...hooks,
      sign: (transcript) => signAdmission(bob.identity, other, transcript),
    };
    const result = await handshake(elsewhere, admissionHooks(t.cdoc, t.founder));
    expect(refusedBecause(result.answerer)).toBe('bad-proof');
  });

  it('rejects a replayed proof: the verifier’s nonce is fresh on every connection', async () => {
    const t = await foundTestCommunity();
    const bob = await joinTestCommunity(t, 'Bob');
    const first = await handshake(
      admissionHooks(bob.cdoc, bob.identity),
      admissionHooks(t.cdoc, t.founder),
    );
    expect(first.answerer.ok).toBe(true);
    // An eavesdropper replays Bob's hello and proof, byte for byte, on a new connection.
    const recorded = first.sent.filter((m) => m.from === 'dialer').map((m) => m.payload);
    const founderSide = createHandshake({
      peer: 'replayer' as PeerId,
      initiator: false,
      hooks: admissionHooks(t.cdoc, t.founder),
      send: () => undefined,
    });
    founderSide.start();
    for (const payload of recorded) founderSide.receive(payload);
    expect(refusedBecause(await founderSide.outcome)).toBe('bad-proof');
  });

  it('binds the role: a proof signed as dialer does not verify as answerer', () => {
    const nonceA = new Uint8Array(32).fill(1);
    const nonceB = new Uint8Array(32).fill(2);
    const asDialer = transcriptOf('dialer', 'a', 'b', nonceA, nonceB);
    const asAnswerer = transcriptOf('answerer', 'a', 'b', nonceA, nonceB);
    expect(toBase64url(asDialer)).not.toBe(toBase64url(asAnswerer));
    expect(toBase64url(asDialer)).toBe(
      toBase64url(
        utf8(`moot/admission/v1\ndialer\na\nb\n${toBase64url(nonceA)}\n${toBase64url(nonceB)}`),
      ),
    );
  });
});
