import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { toBase64url } from '../shared/base64url';
import { randomBytes } from '../shared/bytes';
import type { EventId } from '../shared/ids';
import { CommunityDoc } from './community-doc';
import { LIMITS } from './limits';
import { writeAdmit, writeJoin } from './membership';
import {
  foundTestCommunity,
  joinTestCommunity,
  makeMember,
  receive,
  sync,
  writeRawEvent,
  type TestCommunity,
} from './test-helpers';
import { entriesInUpdates } from './stored-updates';
import { EVENTS_MAP, validateUpdate } from './validate-update';

let t: TestCommunity;
beforeEach(async () => {
  t = await foundTestCommunity('Ada');
});

const texts = (cdoc: CommunityDoc) => cdoc.state().posts.map((p) => p.text);

describe('CommunityDoc appends', () => {
  it('store each event at the Yjs position it names', async () => {
    // Appends started together are serialised, or they would claim the same clock.
    await Promise.all(
      ['one', 'two', 'three'].map((text) => t.cdoc.append('post.create', { text })),
    );
    const { structs } = Y.decodeUpdate(Y.encodeStateAsUpdate(t.doc));
    expect(structs).toHaveLength(6);
    for (const struct of structs) {
      expect(struct).toBeInstanceOf(Y.Item);
      const item = struct as Y.Item;
      const stored = t.cdoc.events.get(item.parentSub as EventId);
      expect(stored?.event.y).toEqual([item.id.client, item.id.clock]);
      expect(item.id.client).toBe(t.doc.clientID);
    }
    const validated = await validateUpdate(Y.encodeStateAsUpdate(t.doc), t.founded.community);
    expect(validated.ok && validated.value).toHaveLength(6);
    expect(texts(t.cdoc).sort()).toEqual(['one', 'three', 'two']);
  });

  it('date each event of a batch after the one before, so the last written shows first', async () => {
    const bodies = Array.from({ length: 50 }, (_, i) => ({ text: `batch ${i}` }));
    const signed = await t.cdoc.appendMany('post.create', bodies);
    for (const [i, one] of signed.entries())
      if (i > 0) expect(one.event.at).toBeGreaterThan(signed[i - 1]!.event.at);
    expect(texts(t.cdoc)).toEqual(bodies.map((b) => b.text).reverse());
  });

  it('derive the founder’s community, membership and profile', () => {
    const state = t.cdoc.state();
    const me = t.founder.memberId;
    expect(state.meta).toMatchObject({ id: t.founded.community, name: 'Gardeners', founder: me });
    expect(state.rules).toBe('Be kind.');
    expect(state.moderators.has(me)).toBe(true);
    expect(state.profiles.get(me)?.name).toBe('Ada');
    expect(state.invites.get(t.founded.inviteEvent)?.maxUses).toBeNull();
  });
});

describe('CommunityDoc sessions', () => {
  it('gives two tabs of one identity different clientIDs, and both tabs’ posts survive a sync', async () => {
    const otherTab = new Y.Doc();
    await sync(t.doc, otherTab, t.founded.community);
    const second = await CommunityDoc.open(otherTab, t.founded.community, t.founder);
    expect(otherTab.clientID).not.toBe(t.doc.clientID);
    await t.cdoc.append('post.create', { text: 'from tab 1' });
    await second.append('post.create', { text: 'from tab 2' });
    await sync(t.doc, otherTab, t.founded.community);
    await sync(otherTab, t.doc, t.founded.community);
    for (const cdoc of [t.cdoc, second])
      expect(texts(cdoc).sort()).toEqual(['from tab 1', 'from tab 2']);
  });
});

describe('CommunityDoc with a remote peer', () => {
  it('updates state and tells subscribers when a remote update is applied', async () => {
    const seen = vi.fn();
    t.cdoc.subscribe(seen);
    const bob = await joinTestCommunity(t, 'Bob');
    expect(seen).toHaveBeenCalled();
    const state = t.cdoc.state();
    expect(state.members.get(bob.identity.memberId)?.invite).toBe(t.founded.inviteEvent);
    expect(state.profiles.get(bob.identity.memberId)?.name).toBe('Bob');
    expect(bob.cdoc.state().meta?.name).toBe('Gardeners');

    seen.mockClear();
    await bob.cdoc.append('post.create', { text: 'Hi from Bob' });
    await sync(bob.doc, t.doc, t.founded.community);
    expect(seen).toHaveBeenCalled();
    expect(t.cdoc.state().posts[0]).toMatchObject({
      author: bob.identity.memberId,
      text: 'Hi from Bob',
    });
  });

  it('keeps a post another member’s raw update tries to delete (THREATS 10)', async () => {
    const bob = await joinTestCommunity(t, 'Bob');
    const post = await t.cdoc.append('post.create', { text: 'mine' });
    await sync(t.doc, bob.doc, t.founded.community);
    const before = Y.encodeStateVector(bob.doc);
    bob.doc.getMap(EVENTS_MAP).delete(post.id);
    const deletion = Y.encodeStateAsUpdate(bob.doc, before);

    // The update really deletes: a peer that applied it unchecked would lose the post.
    const unchecked = new Y.Doc();
    Y.applyUpdate(unchecked, Y.encodeStateAsUpdate(t.doc));
    Y.applyUpdate(unchecked, deletion);
    expect(unchecked.getMap(EVENTS_MAP).has(post.id)).toBe(false);

    expect(await receive(t.doc, t.founded.community, deletion)).toEqual({
      ok: false,
      error: 'update deletes content',
    });
    expect(t.doc.getMap(EVENTS_MAP).has(post.id)).toBe(true);
    expect(texts(t.cdoc)).toEqual(['mine']);
  });

  it('keeps a post another member’s raw update tries to overwrite (THREATS 10)', async () => {
    const bob = await joinTestCommunity(t, 'Bob');
    const post = await t.cdoc.append('post.create', { text: 'mine' });
    await sync(t.doc, bob.doc, t.founded.community);
    const before = Y.encodeStateVector(bob.doc);
    const forged = bob.cdoc.events.get(post.id)!;
    bob.doc.getMap(EVENTS_MAP).set(post.id, { event: forged.bytes, sig: new Uint8Array(64) });
    const overwrite = Y.encodeStateAsUpdate(bob.doc, before);
    expect((await receive(t.doc, t.founded.community, overwrite)).ok).toBe(false);
    expect(t.doc.getMap(EVENTS_MAP).get(post.id)).toEqual({ event: forged.bytes, sig: post.sig });
    expect(texts(t.cdoc)).toEqual(['mine']);
  });
});

describe('CommunityDoc and events from the future', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('shows an event dated ahead once the clock reaches it', async () => {
    const bob = await joinTestCommunity(t, 'Bob');
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const ahead = Date.now() + LIMITS.futureSkewMs + 60_000;
    const raw = await makeMember(bob.identity);
    const { update } = await writeRawEvent(bob.doc, raw, t.founded.community, {
      at: ahead,
      deps: [...bob.cdoc.events.keys()].sort() as EventId[],
      body: { text: 'tomorrow' },
    });
    expect((await receive(t.doc, t.founded.community, update)).ok).toBe(true);
    const seen = vi.fn();
    t.cdoc.subscribe(seen);
    expect(texts(t.cdoc)).toEqual([]);
    vi.advanceTimersByTime(59_000);
    expect(seen).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1_001);
    expect(seen).toHaveBeenCalled();
    expect(texts(t.cdoc)).toEqual(['tomorrow']);
  });

  it('does not hold back a member’s new post behind another member’s future-dated one', async () => {
    const bob = await joinTestCommunity(t, 'Bob');
    const raw = await makeMember(bob.identity);
    const { update } = await writeRawEvent(bob.doc, raw, t.founded.community, {
      at: Date.now() + 24 * 3_600_000,
      deps: [...bob.cdoc.events.keys()].sort() as EventId[],
      body: { text: 'tomorrow' },
    });
    expect((await receive(t.doc, t.founded.community, update)).ok).toBe(true);
    await t.cdoc.append('post.create', { text: 'today' });
    expect(texts(t.cdoc)).toEqual(['today']);
    await sync(t.doc, bob.doc, t.founded.community);
    expect(texts(bob.cdoc)).toEqual(['today']);
  });

  it('does not hold back a member’s new post behind an event whose deps never arrive', async () => {
    const bob = await joinTestCommunity(t, 'Bob');
    const raw = await makeMember(bob.identity);
    const { update } = await writeRawEvent(bob.doc, raw, t.founded.community, {
      deps: [toBase64url(randomBytes(32)) as EventId],
      body: { text: 'dangling' },
    });
    expect((await receive(t.doc, t.founded.community, update)).ok).toBe(true);
    await t.cdoc.append('post.create', { text: 'today' });
    expect(texts(t.cdoc)).toEqual(['today']);
  });

  it('lets a joiner who has not synced yet write a join that counts once a member admits it', async () => {
    const identity = (await makeMember()).identity;
    const doc = new Y.Doc();
    const cdoc = await CommunityDoc.open(doc, t.founded.community, identity);
    const join = await writeJoin(cdoc, {
      seed: t.founded.inviteSeed,
      event: t.founded.inviteEvent,
    });
    await sync(doc, t.doc, t.founded.community);
    expect(t.cdoc.state().members.has(identity.memberId)).toBe(false);
    await writeAdmit(t.cdoc, join.id);
    await sync(t.doc, doc, t.founded.community);
    await cdoc.append('profile.set', { name: 'Cleo', bio: '' });
    await sync(doc, t.doc, t.founded.community);
    expect(t.cdoc.state().members.has(identity.memberId)).toBe(true);
    expect(t.cdoc.state().profiles.get(identity.memberId)?.name).toBe('Cleo');
  });
});

describe('CommunityDoc deps and incremental derivation', () => {
  it('names every head: after two members wrote at once, a new post follows both', async () => {
    const bob = await joinTestCommunity(t, 'Bob');
    const mine = await t.cdoc.append('post.create', { text: 'from Ada' });
    const theirs = await bob.cdoc.append('post.create', { text: 'from Bob' });
    await sync(bob.doc, t.doc, t.founded.community);
    const next = await t.cdoc.append('post.create', { text: 'after both' });
    expect(next.event.deps).toEqual([mine.id, theirs.id].sort());
    await sync(t.doc, bob.doc, t.founded.community);
    // Stepped (one event at a time) or derived afresh, both peers show the same feed.
    expect(texts(bob.cdoc)).toEqual(texts(t.cdoc));
    // Newest first; the two concurrent posts may share a millisecond (then ids break the tie),
    // but the post that follows both is dated after them.
    const [first, ...rest] = texts(t.cdoc);
    expect(first).toBe('after both');
    expect(rest.sort()).toEqual(['from Ada', 'from Bob']);
  });

  it('dates a reply after what it follows, even when the writer’s clock is ahead of ours', async () => {
    const bob = await joinTestCommunity(t, 'Bob');
    const raw = await makeMember(bob.identity);
    const ahead = Date.now() + 90_000;
    const { update, id } = await writeRawEvent(bob.doc, raw, t.founded.community, {
      at: ahead,
      deps: [...bob.cdoc.events.keys()].sort() as EventId[],
      body: { text: 'from a fast clock' },
    });
    expect((await receive(t.doc, t.founded.community, update)).ok).toBe(true);
    const reply = await t.cdoc.append('post.create', { text: 'answer' });
    expect(reply.event.deps).toEqual([id]);
    expect(reply.event.at).toBe(ahead + 1);
    expect(texts(t.cdoc)).toEqual(['answer', 'from a fast clock']);
  });
});

describe('CommunityDoc opened from stored rows (app/open-doc.ts)', () => {
  it('derives the state from the rows before the doc loads them, and the load changes nothing', async () => {
    await t.cdoc.append('post.create', { text: 'stored before the reload' });
    const rows = [Y.encodeStateAsUpdate(t.doc)];
    const reopened = await CommunityDoc.open(new Y.Doc(), t.cdoc.community, t.founder);
    let load = () => undefined as void;
    const loaded = new Promise<void>((resolve) => (load = resolve));
    reopened.takeStored(entriesInUpdates(rows)!, loaded);
    expect(texts(reopened)).toEqual(['stored before the reload']);
    expect(reopened.state().meta?.name).toBe('Gardeners');

    // A write waits for the doc: its position and deps need what is stored.
    const writing = reopened.append('post.create', { text: 'written at once' });
    await Promise.resolve();
    expect(reopened.doc.getMap(EVENTS_MAP).size).toBe(0);

    const changes = vi.fn();
    reopened.subscribe(changes);
    const before = reopened.state();
    rows.forEach((row) => Y.applyUpdate(reopened.doc, row));
    expect(changes).not.toHaveBeenCalled();
    expect(reopened.state()).toBe(before);

    load();
    const written = await writing;
    expect(written.event.deps).toEqual([...before.posts.map((p) => p.id)].slice(0, 1));
    expect(texts(reopened)).toEqual(['written at once', 'stored before the reload']);
  });
});
