/**
 * Devices at the reducer (issue 5 item 6): a device's events count as its member's; a forged
 * device certificate is refused at ingest; a link adds one device, before it expires; a revoked
 * device's concurrent events are ignored whatever order events arrive in; devices cannot link
 * devices nor revoke the primary key; a ban reaches every device.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from '../../shared/bytes';
import type { CommunityId, EventId } from '../../shared/ids';
import { verifyEvent, type SignedEvent } from '../event';
import { reduce } from '../reducer';
import {
  admitEvent,
  eventMap as map,
  joinBody,
  makeEvent,
  makeGenesis,
  makeInviteKey,
  makeMember,
  type TestMember,
} from '../test-helpers';
import { identityFromSeed } from '../identity';
import { signDeviceProof } from './link';
import { deviceNoLongerWelcome, judgeDevice } from './standing';

const T0 = 1_700_000_000_000;
const NOW = T0 + 3_600_000;
const HOUR = 3_600_000;

let ada: TestMember;
let community: CommunityId;
let create: SignedEvent;

beforeAll(async () => {
  ada = await makeMember();
  ({ community, create } = await makeGenesis(ada, T0));
});

const id = (m: TestMember) => m.identity.memberId;

interface TestLink {
  seed: Uint8Array;
  event: SignedEvent;
}

async function link(
  opts: { by?: TestMember; at?: number; expiresAt?: number; deps?: EventId[] } = {},
): Promise<TestLink> {
  const seed = randomBytes(32);
  const key = await identityFromSeed(seed);
  const at = opts.at ?? T0 + 1;
  const event = await makeEvent(
    opts.by ?? ada,
    community,
    'device.link',
    { publicKey: key.memberId, label: 'Phone', expiresAt: opts.expiresAt ?? at + HOUR },
    { deps: opts.deps ?? [create.id], at },
  );
  return { seed, event };
}

async function add(
  device: TestMember,
  l: TestLink,
  opts: { at?: number; deps?: EventId[]; seed?: Uint8Array } = {},
): Promise<SignedEvent> {
  const { publicKey, proof } = await signDeviceProof(
    opts.seed ?? l.seed,
    community,
    id(device),
    l.event.id,
  );
  return makeEvent(
    device,
    community,
    'device.add',
    { link: l.event.id, linkPublicKey: publicKey, proof },
    { deps: opts.deps ?? [l.event.id], at: opts.at ?? T0 + 2 },
  );
}

const post = (by: TestMember, text: string, deps: EventId[], at = T0 + 10) =>
  makeEvent(by, community, 'post.create', { text }, { deps, at });

const revoke = (by: TestMember, device: TestMember, deps: EventId[], at = T0 + 20) =>
  makeEvent(by, community, 'device.revoke', { device: id(device) }, { deps, at });

/** Ada with one linked device: the events that link it. */
async function linked(device: TestMember) {
  const l = await link();
  const added = await add(device, l);
  return { l, added, events: [create, l.event, added] };
}

/** Makes events until one has a smaller id than `other`: it then sorts first among concurrent ones. */
async function sortingBefore(
  other: EventId,
  make: (attempt: number) => Promise<SignedEvent>,
): Promise<SignedEvent> {
  for (let n = 0; ; n++) {
    const event = await make(n);
    if (event.id < other) return event;
  }
}

function shuffled<T>(items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

describe('linking', () => {
  it('a device’s events are its member’s: posts and profile', async () => {
    const phone = await makeMember();
    const { added, events } = await linked(phone);
    const hello = await post(phone, 'from my phone', [added.id]);
    const name = await makeEvent(
      phone,
      community,
      'profile.set',
      { name: 'Ada on the go', bio: '' },
      { deps: [hello.id], at: T0 + 11 },
    );
    const state = reduce(map(...events, hello, name), NOW);
    expect(state.devices.get(id(phone))).toMatchObject({ member: id(ada), label: 'Phone' });
    expect(state.posts[0]).toMatchObject({ author: id(ada), text: 'from my phone' });
    expect(state.profiles.get(id(ada))?.name).toBe('Ada on the go');
    // The device is not a member of its own, nor listed among the people.
    expect(state.members.has(id(phone))).toBe(false);
    expect(state.members.size).toBe(1);
  });

  it('refuses a forged device certificate at ingest: wrong link key, or lifted to another key', async () => {
    const phone = await makeMember();
    const mallory = await makeMember();
    const l = await link();
    const good = await add(phone, l);
    expect((await verifyEvent(good.bytes, good.sig)).ok).toBe(true);

    // Mallory copies the phone's certificate onto her own key.
    const body = good.event.body as { link: EventId; linkPublicKey: string; proof: string };
    const lifted = await makeEvent(mallory, community, 'device.add', body, {
      deps: [l.event.id],
      at: T0 + 2,
    });
    expect(await verifyEvent(lifted.bytes, lifted.sig)).toEqual({
      ok: false,
      error: 'device is not counter-signed by its link',
    });
  });

  it('refuses a device certified by a key that is not the link’s', async () => {
    const phone = await makeMember();
    const l = await link();
    // A self-consistent certificate under a key Mallory made up: it verifies, but is not the link's.
    const forged = await add(phone, l, { seed: randomBytes(32) });
    expect((await verifyEvent(forged.bytes, forged.sig)).ok).toBe(true);
    const hello = await post(phone, 'let me in', [forged.id]);
    const state = reduce(map(create, l.event, forged, hello), NOW);
    expect(state.devices.has(id(phone))).toBe(false);
    expect(state.deviceRefusals.get(id(phone))).toBe('device-link-unknown');
    expect(state.posts).toHaveLength(0);
  });

  it('a link adds one device: a second device with a used link is refused, whatever the order', async () => {
    const phone = await makeMember();
    const tablet = await makeMember();
    const l = await link();
    const first = await add(phone, l);
    const second = await add(tablet, l, { at: T0 + 3 });
    const fromTablet = await post(tablet, 'me too', [second.id]);
    for (let i = 0; i < 5; i++) {
      const state = reduce(map(...shuffled([create, l.event, first, second, fromTablet])), NOW);
      // Concurrent adds: the smaller event id wins on every peer.
      const [winner, loser] = first.id < second.id ? [phone, tablet] : [tablet, phone];
      expect(state.devices.has(id(winner))).toBe(true);
      expect(state.devices.has(id(loser))).toBe(false);
      expect(state.deviceRefusals.get(id(loser))).toBe('device-link-used');
      expect(state.deviceLinks.get(l.event.id)?.usedBy).toBe(id(winner));
    }
  });

  it('refuses an expired link, also when the add is backdated but saw a later event', async () => {
    const phone = await makeMember();
    const l = await link({ expiresAt: T0 + 100 });
    const late = await add(phone, l, { at: T0 + 101 });
    expect(reduce(map(create, l.event, late), NOW).deviceRefusals.get(id(phone))).toBe(
      'device-link-expired',
    );

    const later = await post(ada, 'an hour on', [l.event.id], T0 + HOUR);
    const tablet = await makeMember();
    const backdated = await add(tablet, l, { at: T0 + 5, deps: [l.event.id, later.id] });
    const state = reduce(map(create, l.event, later, backdated), NOW);
    expect(state.devices.has(id(tablet))).toBe(false);
    expect(state.deviceRefusals.get(id(tablet))).toBe('device-link-expired');
  });

  it('only a member’s own key links devices: a device’s link adds nothing', async () => {
    const phone = await makeMember();
    const tablet = await makeMember();
    const { added, events } = await linked(phone);
    const viaPhone = await link({ by: phone, deps: [added.id], at: T0 + 5 });
    const tabletAdd = await add(tablet, viaPhone, { at: T0 + 6 });
    const state = reduce(map(...events, viaPhone.event, tabletAdd), NOW);
    expect(state.deviceLinks.has(viaPhone.event.id)).toBe(false);
    expect(state.devices.has(id(tablet))).toBe(false);
  });

  it('a key that is already a member cannot become someone’s device', async () => {
    const l = await link();
    const selfAdd = await add(ada, l);
    const state = reduce(map(create, l.event, selfAdd), NOW);
    expect(state.devices.size).toBe(0);
    expect(state.deviceLinks.get(l.event.id)?.usedBy).toBeNull();
  });
});

describe('revocation', () => {
  it('removal wins: the revoked device’s events concurrent with the revoke are ignored in every delivery order', async () => {
    const phone = await makeMember();
    const { added, events } = await linked(phone);
    const before = await post(phone, 'before the revoke', [added.id]);
    const revoked = await revoke(ada, phone, [before.id]);
    // Written by the phone without having seen the revoke: concurrent with it, and sorting
    // before it (ties go to the smaller id), so it is applied first and must be struck out.
    const concurrent = await sortingBefore(revoked.id, (n) =>
      post(phone, `concurrent ${n}`, [before.id], T0 + 21),
    );
    const reaction = await makeEvent(
      phone,
      community,
      'reaction.set',
      { post: before.id, emoji: '👍', on: true },
      { deps: [concurrent.id], at: T0 + 22 },
    );
    // And once it had seen it: after.
    const after = await post(phone, 'after', [revoked.id], T0 + 30);
    const all = [...events, before, revoked, concurrent, reaction, after];
    for (let i = 0; i < 20; i++) {
      const state = reduce(map(...shuffled(all)), NOW);
      expect(state.devices.get(id(phone))).toMatchObject({ revoked: true, revokedAt: T0 + 20 });
      expect(deviceNoLongerWelcome(state, id(phone))).toBe(true);
      expect(state.posts.map((p) => p.text)).toEqual(['before the revoke']);
      expect(state.reactions.get(before.id)?.get('👍')?.size ?? 0).toBe(0);
    }
  });

  it('a revoked device cannot come back through a new link', async () => {
    const phone = await makeMember();
    const { added, events } = await linked(phone);
    const revoked = await revoke(ada, phone, [added.id]);
    const again = await link({ deps: [revoked.id], at: T0 + 40 });
    const readd = await add(phone, again, { at: T0 + 41, deps: [again.event.id, revoked.id] });
    const state = reduce(map(...events, revoked, again.event, readd), NOW);
    expect(state.devices.get(id(phone))?.revoked).toBe(true);
    expect(state.deviceLinks.get(again.event.id)?.usedBy).toBeNull();
  });

  it('a device may revoke a sibling or itself, never the primary key', async () => {
    const phone = await makeMember();
    const tablet = await makeMember();
    const { l, added, events } = await linked(phone);
    const l2 = await link({ at: T0 + 3, deps: [l.event.id] });
    const tabletAdd = await add(tablet, l2, { at: T0 + 4 });
    const onPrimary = await makeEvent(
      phone,
      community,
      'device.revoke',
      { device: id(ada) },
      { deps: [added.id, tabletAdd.id], at: T0 + 10 },
    );
    const sibling = await revoke(phone, tablet, [onPrimary.id], T0 + 11);
    const state = reduce(map(...events, l2.event, tabletAdd, onPrimary, sibling), NOW);
    expect(state.members.has(id(ada))).toBe(true);
    expect(state.devices.get(id(tablet))?.revoked).toBe(true);
    expect(state.devices.get(id(phone))?.revoked).toBe(false);
    const primaryPost = await post(ada, 'still me', [sibling.id], T0 + 12);
    const after = reduce(map(...events, l2.event, tabletAdd, onPrimary, sibling, primaryPost), NOW);
    expect(after.posts[0]).toMatchObject({ author: id(ada), text: 'still me' });
  });

  it('nobody else revokes a member’s device', async () => {
    const phone = await makeMember();
    const { added, events } = await linked(phone);
    const stranger = await makeMember();
    const byStranger = await revoke(stranger, phone, [added.id]);
    const state = reduce(map(...events, byStranger), NOW);
    expect(state.devices.get(id(phone))?.revoked).toBe(false);
  });
});

describe('bans reach every device', () => {
  it('a banned member’s device events concurrent with the ban are struck out, later ones ignored', async () => {
    const bob = await makeMember();
    const bobPhone = await makeMember();
    // Bob becomes a member through an invite the founder admits.
    const inv = await makeInviteKey();
    const invite = await makeEvent(ada, community, 'invite.create', inv.body, {
      deps: [create.id],
      at: T0 + 1,
    });
    const join = await makeEvent(
      bob,
      community,
      'member.join',
      await joinBody(inv.key, community, bob, invite.id),
      { deps: [invite.id], at: T0 + 2 },
    );
    const admit = await admitEvent(ada, community, join.id, { at: T0 + 3 });
    const l = await link({ by: bob, deps: [admit.id], at: T0 + 4 });
    const added = await add(bobPhone, l, { at: T0 + 5 });
    const setup = [create, invite, join, admit, l.event, added];

    const proposal = await makeEvent(
      ada,
      community,
      'proposal.create',
      { change: { type: 'member.ban', member: id(bob) }, reason: 'spam' },
      { deps: [added.id], at: T0 + 10 },
    );
    const decision = await makeEvent(
      ada,
      community,
      'vote.cast',
      { proposal: proposal.id, choice: 'yes' },
      { deps: [proposal.id], at: T0 + 11 },
    );
    // Sorts before the proposal, so it is applied before the ban and must be struck out.
    const concurrent = await sortingBefore(proposal.id, (n) =>
      post(bobPhone, `spam from the phone ${n}`, [added.id], T0 + 12),
    );
    const after = await post(bobPhone, 'more spam', [decision.id], T0 + 13);
    for (let i = 0; i < 5; i++) {
      const state = reduce(
        map(...shuffled([...setup, proposal, decision, concurrent, after])),
        NOW,
      );
      expect(state.bans.has(id(bob))).toBe(true);
      expect(state.posts.map((p) => p.text)).toEqual([]);
      // A connected phone of Bob's is dropped (evict.ts), and refused at the handshake.
      expect(deviceNoLongerWelcome(state, id(bobPhone))).toBe(true);
      expect(judgeDevice(state, id(bobPhone), null, NOW)).toEqual({
        ok: false,
        error: 'banned',
      });
    }
  });
});
