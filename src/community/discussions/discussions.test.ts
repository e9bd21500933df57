import { beforeEach, describe, expect, it } from 'vitest';
import type { EventId } from '../../shared/ids';
import { validateBody } from '../bodies';
import { LIMITS } from '../limits';
import {
  foundTestCommunity,
  joinTestCommunity,
  sync,
  type TestCommunity,
  type TestJoiner,
} from '../test-helpers';
import { isUnread, listThreads, replyContext, threadReplies, unseenMentions } from './threads';

let ada: TestCommunity;
let bo: TestJoiner;

beforeEach(async () => {
  ada = await foundTestCommunity('Ada');
  bo = await joinTestCommunity(ada, 'Bo');
});

const toAda = () => sync(bo.doc, ada.doc, ada.founded.community);
const toBo = () => sync(ada.doc, bo.doc, ada.founded.community);
const post = (id: EventId) => ada.cdoc.state().postsById.get(id)!;

describe('threads and replies', () => {
  it('lists threads by latest activity with reply counts, nesting a reply to a reply', async () => {
    const seeds = await ada.cdoc.append('post.create', { title: 'Seeds', text: 'Swap?' });
    await toBo();
    await bo.cdoc.append('post.create', { title: 'Tools', text: 'Shed' });
    const reply = await bo.cdoc.append('post.create', { text: 'Yes!', parent: seeds.id });
    await toAda();
    await ada.cdoc.append('post.create', { text: 'Great', parent: reply.id });
    const state = ada.cdoc.state();
    const threads = listThreads(state.posts, ada.cdoc.me);
    expect(threads.map((t) => [t.root.title, t.replies])).toEqual([
      ['Seeds', 2],
      ['Tools', 0],
    ]);
    const replies = threadReplies(state.posts, seeds.id);
    expect(replies.map((p) => p.text)).toEqual(['Yes!', 'Great']);
    expect(replyContext(replies[1]!, state.postsById)?.text).toBe('Yes!');
    expect(replyContext(replies[0]!, state.postsById)).toBeNull();
    // Unread for Ada: only Bo's reply counts, so a visit after it leaves the thread read.
    const boReplyAt = replies[0]!.at;
    expect(isUnread(threads[0]!, boReplyAt - 1)).toBe(true);
    expect(isUnread(threads[0]!, boReplyAt)).toBe(false);
    expect(isUnread(threads[0]!, 0, boReplyAt)).toBe(false);
  });

  it('ignores a reply to a post it cannot know', async () => {
    await bo.cdoc.append('post.create', { text: 'orphan', parent: 'A'.repeat(43) as EventId });
    await toAda();
    expect(ada.cdoc.state().posts).toHaveLength(0);
  });
});

describe('edit and delete', () => {
  it('keeps the history of the author’s edits and shows the latest text', async () => {
    const p = await ada.cdoc.append('post.create', { title: 'Plan', text: 'v1' });
    await ada.cdoc.append('post.edit', { post: p.id, text: 'v2', title: 'Plan B' });
    await ada.cdoc.append('post.edit', { post: p.id, text: 'v3' });
    const now = post(p.id);
    expect([now.title, now.text, now.editedAt !== null]).toEqual(['Plan B', 'v3', true]);
    expect(now.history.map((h) => [h.title, h.text])).toEqual([
      ['Plan', 'v1'],
      ['Plan B', 'v2'],
    ]);
  });

  it('ignores a forged edit or delete by someone other than the author', async () => {
    const p = await ada.cdoc.append('post.create', { text: 'mine' });
    await toBo();
    await bo.cdoc.append('post.edit', { post: p.id, text: 'hacked' });
    await bo.cdoc.append('post.delete', { post: p.id });
    await toAda();
    const now = post(p.id);
    expect([now.text, now.deleted, now.history]).toEqual(['mine', false, []]);
  });

  it('deletes text and history for everyone while replies stay; later edits are ignored', async () => {
    const p = await ada.cdoc.append('post.create', { title: 'Oops', text: 'secret' });
    await ada.cdoc.append('post.edit', { post: p.id, text: 'secret 2' });
    await toBo();
    await bo.cdoc.append('post.create', { text: 'reply', parent: p.id });
    await bo.cdoc.append('reaction.set', { post: p.id, emoji: '👍', on: true });
    await toAda();
    await ada.cdoc.append('post.delete', { post: p.id });
    await ada.cdoc.append('post.edit', { post: p.id, text: 'back' });
    await toBo();
    for (const cdoc of [ada.cdoc, bo.cdoc]) {
      const state = cdoc.state();
      const now = state.postsById.get(p.id)!;
      expect([now.deleted, now.text, now.title, now.history]).toEqual([true, '', null, []]);
      expect(state.reactions.has(p.id)).toBe(false);
      expect(threadReplies(state.posts, p.id).map((r) => r.text)).toEqual(['reply']);
    }
  });
});

describe('reactions', () => {
  it('counts one per member per emoji, in order, and toggles off', async () => {
    const p = await ada.cdoc.append('post.create', { text: 'hi' });
    await ada.cdoc.append('reaction.set', { post: p.id, emoji: '🎉', on: true });
    await ada.cdoc.append('reaction.set', { post: p.id, emoji: '🎉', on: true });
    await toBo();
    await bo.cdoc.append('reaction.set', { post: p.id, emoji: '🎉', on: true });
    await toAda();
    const who = () => [...(ada.cdoc.state().reactions.get(p.id)?.get('🎉') ?? [])];
    expect(who()).toEqual([ada.cdoc.me, bo.cdoc.me]);
    await ada.cdoc.append('reaction.set', { post: p.id, emoji: '🎉', on: false });
    expect(who()).toEqual([bo.cdoc.me]);
  });
});

describe('mentions', () => {
  it('count for the mentioned member until they open the thread, and go with a delete', async () => {
    const t = await ada.cdoc.append('post.create', { title: 'Rota', text: 'Who digs?' });
    await toBo();
    const reply = await bo.cdoc.append('post.create', {
      text: '@Ada can you?',
      parent: t.id,
      mentions: [ada.cdoc.me],
    });
    await toAda();
    const [thread] = listThreads(ada.cdoc.state().posts, ada.cdoc.me);
    expect(unseenMentions(thread!)).toBe(1);
    expect(unseenMentions(thread!, reply.event.at)).toBe(0); // opened after the mention
    // Bo's own view of the same thread holds no mention of Bo.
    expect(unseenMentions(listThreads(bo.cdoc.state().posts, bo.cdoc.me)[0]!)).toBe(0);
    await bo.cdoc.append('post.delete', { post: reply.id }, [reply.id]);
    await toAda();
    expect(unseenMentions(listThreads(ada.cdoc.state().posts, ada.cdoc.me)[0]!)).toBe(0);
  });
});

describe('bodies at ingest', () => {
  it('rejects an over-long post or title, a titled reply and an unknown emoji', () => {
    const id = 'A'.repeat(43);
    const long = (n: number) => 'x'.repeat(n + 1);
    expect(validateBody('post.create', { text: long(LIMITS.postText) }).ok).toBe(false);
    expect(validateBody('post.create', { text: 'x', title: long(LIMITS.postTitle) }).ok).toBe(
      false,
    );
    expect(validateBody('post.create', { text: 'x', title: 't', parent: id }).ok).toBe(false);
    expect(validateBody('post.create', { text: 'x', parent: id }).ok).toBe(true);
    expect(validateBody('post.create', { text: 'x' }).ok).toBe(true);
    expect(validateBody('reaction.set', { post: id, emoji: '💩', on: true }).ok).toBe(false);
    expect(validateBody('post.edit', { post: id, text: '' }).ok).toBe(false);
    expect(validateBody('post.delete', { post: id, extra: 1 }).ok).toBe(false);
    const mentions = (m: unknown) => validateBody('post.create', { text: 'x', mentions: m }).ok;
    expect(mentions([id])).toBe(true);
    expect(mentions([id, id])).toBe(false);
    expect(mentions(['bo'])).toBe(false);
    const many = Array.from({ length: LIMITS.mentions + 1 }, (_, i) => String(i).padEnd(43, 'A'));
    expect(mentions(many.slice(1))).toBe(true);
    expect(mentions(many)).toBe(false);
  });
});
