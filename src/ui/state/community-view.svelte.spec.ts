import { flushSync } from 'svelte';
import { describe, expect, it } from 'vitest';
import type { Post } from '../../community/state';
import type { EventId } from '../../shared/ids';
import { CommunityView } from './community-view.svelte';
import { TestHandle } from './test-handle';

const microtask = () => new Promise<void>((resolve) => queueMicrotask(resolve));

function post(n: number, handle: TestHandle): Post {
  const id = `post-${n}` as EventId;
  return {
    id,
    author: handle.me,
    text: `post ${n}`,
    at: n,
    title: null,
    parent: null,
    thread: id,
    history: [],
    editedAt: null,
    deleted: false,
    mentions: [],
    attachments: [],
  };
}

describe('CommunityView', () => {
  it('subscribes to the handle only while something reads it in an effect', async () => {
    const handle = new TestHandle();
    const view = new CommunityView(handle);
    expect(view.state.posts).toEqual([]);
    expect(handle.stateListeners.size).toBe(0);

    const stop = $effect.root(() => {
      $effect(() => void view.state);
    });
    flushSync();
    expect(handle.stateListeners.size).toBe(1);

    stop();
    await microtask();
    expect(handle.stateListeners.size).toBe(0);
  });

  it('re-runs effects when the community state or the sync status changes', () => {
    const handle = new TestHandle();
    const view = new CommunityView(handle);
    const counts: number[] = [];
    const peers: number[] = [];
    const stop = $effect.root(() => {
      $effect(() => void counts.push(view.state.posts.length));
      $effect(() => void peers.push(view.status.peers));
    });
    flushSync();

    handle.change({ posts: [post(2, handle), post(1, handle)] });
    flushSync();
    handle.changeStatus({ peers: 3, syncedPeers: 1 });
    flushSync();

    expect(counts).toEqual([0, 2]);
    expect(peers).toEqual([0, 3]);
    stop();
  });

  it('derives names from profiles, falling back to the id', () => {
    const handle = new TestHandle();
    const view = new CommunityView(handle);
    const names: string[] = [];
    const stop = $effect.root(() => {
      const name = $derived(view.nameOf(handle.me));
      $effect(() => void names.push(name));
    });
    flushSync();
    handle.change({ profiles: new Map([[handle.me, { name: 'Ada', bio: '', updatedAt: 1 }]]) });
    flushSync();
    expect(names).toEqual(['me', 'Ada']);
    stop();
  });
});
