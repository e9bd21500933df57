import { beforeAll, describe, expect, it } from 'vitest';
import { toBase64url } from '../shared/base64url';
import { randomBytes } from '../shared/bytes';
import type { CommunityId, EventId } from '../shared/ids';
import type { SignedEvent } from './event';
import { LIMITS } from './limits';
import { causalOrder, causalOrdering, heads } from './order';
import { derive } from './reducer';
import { eventMap, makeEvent, makeGenesis, makeMember, type TestMember } from './test-helpers';

const T0 = 1_700_000_000_000;
const NOW = T0 + 60_000;

let ada: TestMember;
let bob: TestMember;
let community: CommunityId;
let create: SignedEvent;
const post = (by: TestMember, deps: EventId[], at = T0 + 1, text = 'x') =>
  makeEvent(by, community, 'post.create', { text }, { deps, at });
const ids = (events: SignedEvent[]) => events.map((e) => e.id);
const dangling = () => toBase64url(randomBytes(32)) as EventId;

beforeAll(async () => {
  ada = await makeMember();
  bob = await makeMember();
  ({ community, create } = await makeGenesis(ada, T0));
});

describe('causalOrder', () => {
  it('puts every event after its deps and breaks ties by the smaller id', async () => {
    const a = await post(ada, [create.id], T0 + 1, 'a');
    const b = await post(bob, [create.id], T0 + 1, 'b');
    const c = await post(ada, [a.id, b.id], T0 + 1, 'c');
    const [first, second] = a.id < b.id ? [a, b] : [b, a];
    expect(ids(causalOrder(eventMap(c, b, a, create), NOW))).toEqual(
      ids([create, first, second, c]),
    );
  });

  it('leaves out events waiting on a missing dep, and everything after them', async () => {
    const waiting = await post(ada, [create.id, dangling()]);
    const after = await post(bob, [waiting.id]);
    expect(ids(causalOrder(eventMap(create, waiting, after), NOW))).toEqual([create.id]);
  });

  it('leaves out events dated past the allowed skew, and everything after them', async () => {
    const edge = await post(ada, [create.id], NOW + LIMITS.futureSkewMs, 'edge');
    const ahead = await post(ada, [create.id], NOW + LIMITS.futureSkewMs + 1, 'ahead');
    const after = await post(bob, [ahead.id], T0);
    expect(ids(causalOrder(eventMap(create, edge, ahead, after), NOW))).toEqual([
      create.id,
      edge.id,
    ]);
    expect(causalOrder(eventMap(create, edge, ahead, after), NOW + 1)).toHaveLength(4);
  });
});

describe('causalOrdering', () => {
  it('gives each ordered event the latest time in its causal past, and marks the deps of ordered events', async () => {
    const a = await post(ada, [create.id], T0 + 5, 'a');
    const b = await post(bob, [create.id], T0 + 1, 'b');
    const c = await post(ada, [a.id, b.id], T0 + 2, 'c');
    const d = await post(bob, [b.id], T0 + 3, 'd');
    const waiting = await post(bob, [c.id, dangling()], T0 + 9, 'waiting');
    const { ordered, slots, positions, effective, followed } = causalOrdering(
      eventMap(waiting, d, c, b, a, create),
      NOW,
    );
    const place = (e: SignedEvent) => ordered.indexOf(e);
    expect(ordered).toHaveLength(5);
    for (const e of ordered) expect(positions[slots.get(e.id)!]).toBe(place(e));
    expect(positions[slots.get(waiting.id)!]).toBe(-1);
    const at = new Map(ordered.map((e, k) => [e.id, effective[k]]));
    expect([create, a, b, c, d].map((e) => at.get(e.id))).toEqual([
      T0,
      T0 + 5,
      T0 + 1,
      T0 + 5,
      T0 + 3,
    ]);
    // c is named only by an event that waits, so it is a head of the order, as is d.
    const heads = ordered.filter((_, k) => !followed[k]).map((e) => e.id);
    expect(heads.sort()).toEqual([c.id, d.id].sort());
  });
});

describe('heads', () => {
  it('names the events nothing else depends on, sorted', async () => {
    const a = await post(ada, [create.id], T0 + 1, 'a');
    const b = await post(bob, [create.id], T0 + 1, 'b');
    expect(heads(eventMap(create), NOW)).toEqual([create.id]);
    expect(heads(eventMap(create, a, b), NOW)).toEqual([a.id, b.id].sort());
    expect(heads(new Map(), NOW)).toEqual([]);
  });

  it('skips someone else’s held-back or dangling events, so they cannot hold back new ones', async () => {
    const ahead = await post(bob, [create.id], NOW + LIMITS.futureSkewMs + 1);
    const stuck = await post(bob, [create.id, dangling()]);
    expect(heads(eventMap(create, ahead, stuck), NOW, ada.identity.memberId)).toEqual([create.id]);
  });

  it('are the heads a derivation reports, held-back events left out', async () => {
    const a = await post(ada, [create.id], T0 + 1, 'a');
    const b = await post(bob, [create.id], T0 + 1, 'b');
    const c = await post(ada, [a.id], T0 + 2, 'c');
    const ahead = await post(ada, [c.id], NOW + LIMITS.futureSkewMs + 1);
    const events = eventMap(create, a, b, c, ahead);
    expect(heads(events, NOW)).toEqual([b.id, c.id].sort());
    expect([...derive(events, NOW).heads].sort()).toEqual([b.id, c.id].sort());
  });

  it('keeps the author’s own events that wait on a dep not yet synced', async () => {
    const invite = dangling();
    const join = await post(bob, [invite]);
    expect(heads(eventMap(join), NOW, bob.identity.memberId)).toEqual([join.id]);
  });
});
