import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { toBase64url } from '../shared/base64url';
import { randomBytes } from '../shared/bytes';
import type { CommunityId } from '../shared/ids';
import { deriveCommunityId } from './genesis';
import { generateIdentity } from './identity';
import { LIMITS } from './limits';
import {
  foundTestCommunity,
  joinBody,
  makeInviteKey,
  makeMember,
  stripDeleteSet,
  writeRawEvent,
  type TestCommunity,
  type TestMember,
} from './test-helpers';
import { EVENTS_MAP, validateUpdate } from './validate-update';

let t: TestCommunity;
let community: CommunityId;
let mallory: TestMember;

/** A peer's doc that already holds the community, as after a first sync. */
function peerDoc(): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(t.doc));
  return doc;
}

/** The update `change` produces in `doc`, as the peer would send it. */
function updateOf(doc: Y.Doc, change: () => void): Uint8Array {
  const before = Y.encodeStateVector(doc);
  change();
  return Y.encodeStateAsUpdate(doc, before);
}

const rejects = async (update: Uint8Array, error: string, c: CommunityId = community) =>
  expect(await validateUpdate(update, c)).toEqual({ ok: false, error });

beforeAll(async () => {
  t = await foundTestCommunity();
  community = t.founded.community;
  mallory = await makeMember();
});

describe('validateUpdate accepts', () => {
  it('a real community doc, returning its verified events', async () => {
    const result = await validateUpdate(Y.encodeStateAsUpdate(t.doc), community);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.map((e) => e.id).sort()).toEqual([...t.cdoc.events.keys()].sort());
    expect(result.value.map((e) => e.event.kind)).toEqual([
      'community.create',
      'invite.create',
      'profile.set',
    ]);
  });

  it('a well-formed event written by another member at their own position', async () => {
    const { update, id } = await writeRawEvent(peerDoc(), mallory, community);
    const result = await validateUpdate(update, community);
    expect(result.ok && result.value.map((e) => e.id)).toEqual([id]);
  });

  it('an update with nothing in it (what an empty peer sends)', async () => {
    expect(await validateUpdate(Y.encodeStateAsUpdate(new Y.Doc()), community)).toEqual({
      ok: true,
      value: [],
    });
  });
});

describe('validateUpdate rejects', () => {
  it('an empty update', async () => {
    await rejects(new Uint8Array(0), 'empty update');
  });

  it('an update over the size cap, before decoding it', async () => {
    const big = new Uint8Array(LIMITS.updateBytes + 1);
    await rejects(big, 'update too large');
    // At the cap it is decoded (64 MiB of zeros is an empty update) rather than refused for size.
    expect((await validateUpdate(big.subarray(0, LIMITS.updateBytes), community)).ok).toBe(true);
  });

  it('garbage bytes', async () => {
    await rejects(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3), 'update cannot be decoded');
    const real = Y.encodeStateAsUpdate(t.doc);
    await rejects(real.subarray(0, real.length >> 1), 'update cannot be decoded');
  });

  it('random bytes: never throws, never yields an event', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 300 }), async (bytes) => {
        const result = await validateUpdate(bytes, community);
        if (result.ok) expect(result.value).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('an update that deletes another member’s post', async () => {
    const alice = await makeMember(t.founder);
    const post = await writeRawEvent(peerDoc(), alice, community);
    const bob = peerDoc();
    Y.applyUpdate(bob, post.update);
    expect(bob.getMap(EVENTS_MAP).has(post.id)).toBe(true);
    const deletion = updateOf(bob, () => bob.getMap(EVENTS_MAP).delete(post.id));
    await rejects(deletion, 'update deletes content');
  });

  it('an update that overwrites another member’s post', async () => {
    const alice = await makeMember(t.founder);
    const post = await writeRawEvent(peerDoc(), alice, community);
    const bob = peerDoc();
    Y.applyUpdate(bob, post.update);
    const overwrite = updateOf(bob, () =>
      bob.getMap(EVENTS_MAP).set(post.id, { event: new Uint8Array(4), sig: new Uint8Array(64) }),
    );
    // As Yjs writes it, the overwrite also deletes the old entry...
    await rejects(overwrite, 'update deletes content');
    // ...and with the delete set cut off by hand, the new struct's origin still gives it away.
    await rejects(stripDeleteSet(overwrite), 'update overwrites an entry');
  });

  it('garbage-collected structs', async () => {
    const doc = new Y.Doc();
    const map = doc.getMap(EVENTS_MAP);
    const nested = new Y.Map<number>();
    map.set('n', nested);
    const afterNested = Y.encodeStateVector(doc);
    nested.set('a', 1);
    nested.set('b', 2);
    map.delete('n');
    // The children of a deleted type are replaced by GC structs.
    const update = stripDeleteSet(Y.encodeStateAsUpdate(doc, afterNested));
    expect(Y.decodeUpdate(update).structs[0]).toBeInstanceOf(Y.GC);
    await rejects(update, 'update holds garbage-collected structs');
  });

  it('writes to another root type', async () => {
    const doc = peerDoc();
    await rejects(
      updateOf(doc, () => doc.getMap('settings').set('x', 1)),
      'update writes outside the events map',
    );
    await rejects(
      updateOf(doc, () => doc.getArray(EVENTS_MAP + '2').insert(0, [1])),
      'update writes outside the events map',
    );
  });

  it('writes inside a nested map', async () => {
    const doc = peerDoc();
    const nested = new Y.Map<number>();
    const creation = updateOf(doc, () => doc.getMap(EVENTS_MAP).set('n', nested));
    await rejects(creation, 'entry is not one stored event');
    await rejects(
      updateOf(doc, () => nested.set('a', 1)),
      'update writes outside the events map',
    );
  });

  it('entries that are not {event, sig}', async () => {
    const doc = peerDoc();
    const map = doc.getMap<unknown>(EVENTS_MAP);
    const bytes = new Uint8Array(100);
    for (const value of [
      'text',
      42,
      bytes,
      { event: bytes },
      { event: bytes, sig: new Uint8Array(63) },
      { event: 'x', sig: new Uint8Array(64) },
      { event: bytes, sig: new Uint8Array(64), extra: 1 },
      [bytes, new Uint8Array(64)],
    ]) {
      await rejects(
        updateOf(doc, () => map.set(toBase64url(randomBytes(32)), value)),
        'entry is not one stored event',
      );
    }
  });

  it('an event stored under a key that is not its id', async () => {
    const other = await writeRawEvent(peerDoc(), mallory, community, { body: { text: 'a' } });
    const { update } = await writeRawEvent(peerDoc(), mallory, community, {}, { key: other.id });
    await rejects(update, 'entry key is not the event id');
  });

  it('an event from another community', async () => {
    const elsewhere = toBase64url(randomBytes(32)) as CommunityId;
    const { update } = await writeRawEvent(peerDoc(), mallory, elsewhere);
    await rejects(update, 'event belongs to another community');
    expect((await validateUpdate(update, elsewhere)).ok).toBe(true);
  });

  it('an event whose y names another clock than the one it is stored at', async () => {
    const doc = peerDoc();
    const { update } = await writeRawEvent(doc, mallory, community, {
      y: [mallory.clientId, Y.getState(doc.store, mallory.clientId) + 1],
    });
    await rejects(update, 'event is not stored at the position it names');
  });

  it('structs at another member’s clientID', async () => {
    const alice = await makeMember(t.founder);
    // Mallory's own event, stored at Alice's clientID.
    const doc = peerDoc();
    const { update } = await writeRawEvent(
      doc,
      { ...mallory, clientId: alice.clientId },
      community,
      {
        y: [mallory.clientId, 0],
      },
    );
    await rejects(update, 'event is not stored at the position it names');
    // Mallory's event claiming Alice's position, or reusing Alice's session with her own key.
    const claiming = await writeRawEvent(
      peerDoc(),
      { ...mallory, clientId: alice.clientId },
      community,
    );
    await rejects(claiming.update, 'position is not bound to the author');
    const sessionThief = { ...mallory, session: alice.session, clientId: alice.clientId };
    await rejects(
      (await writeRawEvent(peerDoc(), sessionThief, community)).update,
      'position is not bound to the author',
    );
  });

  it('an event signed by another key in the author’s name', async () => {
    const alice = await makeMember(t.founder);
    const { update } = await writeRawEvent(
      peerDoc(),
      alice,
      community,
      {},
      {
        signer: mallory.identity,
      },
    );
    await rejects(update, 'bad signature');
  });

  it('an event with one byte changed after signing', async () => {
    const { update } = await writeRawEvent(
      peerDoc(),
      mallory,
      community,
      { body: { text: 'yes' } },
      {
        tamper: (bytes) =>
          new TextEncoder().encode(new TextDecoder().decode(bytes).replace('"yes"', '"no!"')),
      },
    );
    await rejects(update, 'bad signature');
  });

  it('a validly signed event whose bytes are not canonical', async () => {
    const { update } = await writeRawEvent(
      peerDoc(),
      mallory,
      community,
      {},
      {
        bytes: (canonical) => new TextEncoder().encode(new TextDecoder().decode(canonical) + ' '),
      },
    );
    await rejects(update, 'not in canonical form');
  });

  it('a malformed body', async () => {
    const { update } = await writeRawEvent(peerDoc(), mallory, community, { body: { text: '' } });
    await rejects(update, 'post.create: text is empty');
  });

  it('a join without a valid invite counter-signature', async () => {
    const invite = await makeInviteKey();
    const inviteId = t.founded.inviteEvent;
    const valid = await joinBody(invite.key, community, mallory, inviteId);
    // Self-made invite key: the proof verifies against the key the join names...
    expect(
      (
        await validateUpdate(
          (
            await writeRawEvent(peerDoc(), mallory, community, {
              kind: 'member.join',
              body: valid,
              deps: [inviteId],
            })
          ).update,
          community,
        )
      ).ok,
    ).toBe(true);
    // ...but not when the proof was made for someone else or signed by another key.
    const someoneElse = await makeMember();
    const lifted = await joinBody(invite.key, community, someoneElse, inviteId);
    const wrongKey = {
      ...valid,
      proof: (await joinBody(mallory.identity, community, mallory, inviteId)).proof,
    };
    for (const body of [lifted, wrongKey, { ...valid, proof: toBase64url(new Uint8Array(64)) }]) {
      const { update } = await writeRawEvent(peerDoc(), mallory, community, {
        kind: 'member.join',
        body,
        deps: [inviteId],
      });
      await rejects(update, 'join is not counter-signed by its invite');
    }
  });

  it('a community.create whose id is not derived from its author', async () => {
    const victim = await generateIdentity();
    const nonce = toBase64url(randomBytes(16));
    const squatted = (await deriveCommunityId(victim.memberId, nonce))!;
    const { update } = await writeRawEvent(peerDoc(), mallory, squatted, {
      kind: 'community.create',
      body: { name: 'Mine now', description: '', rules: '', nonce },
    });
    await rejects(update, 'community was not founded by this author', squatted);
  });

  it('a whole update when one of its events is bad', async () => {
    const doc = peerDoc();
    const before = Y.encodeStateVector(doc);
    await writeRawEvent(doc, mallory, community, { body: { text: 'fine' } });
    await writeRawEvent(
      doc,
      mallory,
      community,
      { body: { text: 'forged' } },
      {
        signer: t.founder,
      },
    );
    await writeRawEvent(doc, mallory, community, { body: { text: 'fine too' } });
    await rejects(Y.encodeStateAsUpdate(doc, before), 'bad signature');
  });
});
