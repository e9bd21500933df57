import { describe, expect, it } from 'vitest';
import { foundTestCommunity } from '../community/test-helpers';
import { FIRST_SCREEN_THREADS, parseFirstScreen } from '../store/first-screen-store';
import { captureFirstScreen } from './first-screen';

describe('captureFirstScreen', () => {
  it('holds the newest threads as the feed shows them, with what the header shows', async () => {
    const { cdoc, founded } = await foundTestCommunity('Ada');
    const first = await cdoc.append('post.create', { text: 'First', title: 'Hello' });
    await cdoc.append('post.create', { text: 'A reply', parent: first.id });
    await cdoc.appendMany(
      'post.create',
      Array.from({ length: FIRST_SCREEN_THREADS + 5 }, (_, i) => ({ text: `Post ${i}` })),
    );
    const screen = captureFirstScreen(cdoc.state(), cdoc.me, founded.community, 1);
    expect(screen).not.toBeNull();
    expect(screen!.name).toBe('Gardeners');
    expect(screen!.members).toBe(1);
    expect(screen!.threads).toHaveLength(FIRST_SCREEN_THREADS);
    expect(screen!.threads[0]).toMatchObject({
      excerpt: `Post ${FIRST_SCREEN_THREADS + 4}`,
      author: 'Ada',
      mine: true,
      replies: 0,
    });
    // What it captured is what the store accepts back.
    expect(parseFirstScreen(structuredClone(screen), founded.community)).toEqual(screen);
  });

  it('keeps a hidden post hidden and a deleted post empty', async () => {
    const { cdoc, founded } = await foundTestCommunity('Ada');
    const hidden = await cdoc.append('post.create', { text: 'Buy pills', title: 'Offer' });
    await cdoc.append('post.hide', { post: hidden.id, reason: 'spam' }, [hidden.id]);
    const deleted = await cdoc.append('post.create', { text: 'Oops', title: 'Typo' });
    await cdoc.append('post.delete', { post: deleted.id }, [deleted.id]);
    const screen = captureFirstScreen(cdoc.state(), cdoc.me, founded.community, 1)!;
    const byId = new Map(screen.threads.map((t) => [t.id, t]));
    expect(byId.get(hidden.id)).toMatchObject({ title: null, excerpt: '', hidden: 'spam' });
    expect(byId.get(deleted.id)).toMatchObject({ title: null, excerpt: '', deleted: true });
    expect(JSON.stringify(screen)).not.toContain('Buy pills');
  });
});
