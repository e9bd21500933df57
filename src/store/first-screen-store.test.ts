import { describe, expect, it } from 'vitest';
import type { CommunityId, EventId } from '../shared/ids';
import {
  FIRST_SCREEN_THREADS,
  FIRST_SCREEN_VERSION,
  parseFirstScreen,
  type FirstScreen,
  type FirstScreenThread,
} from './first-screen-store';

const COMMUNITY = 'c0mmunity' as CommunityId;

const thread = (i: number): FirstScreenThread => ({
  id: `post-${i}` as EventId,
  title: i % 2 ? `Thread ${i}` : null,
  author: 'Ada',
  mine: i === 0,
  at: 1_700_000_000_000 + i,
  excerpt: `Text of ${i} 🌱`,
  deleted: false,
  hidden: i === 3 ? 'spam' : null,
  replies: i,
  lastActivity: 1_700_000_000_500 + i,
  lastActivityByOthers: i === 0 ? 0 : 1_700_000_000_400,
});

const screen = (): FirstScreen => ({
  v: FIRST_SCREEN_VERSION,
  community: COMMUNITY,
  savedAt: 1_700_000_001_000,
  name: 'Gardeners',
  description: 'Seeds and soil',
  members: 12,
  threads: [0, 1, 2, 3].map(thread),
});

describe('stored first screen', () => {
  it('reads back what was stored, through the structured clone IndexedDB makes', () => {
    const stored = structuredClone(screen());
    expect(parseFirstScreen(stored, COMMUNITY)).toEqual(screen());
  });

  it('ignores a row of another version', () => {
    expect(parseFirstScreen({ ...screen(), v: FIRST_SCREEN_VERSION + 1 }, COMMUNITY)).toBeNull();
    expect(parseFirstScreen({ ...screen(), v: undefined }, COMMUNITY)).toBeNull();
  });

  it("ignores another community's row stored under this key", () => {
    expect(parseFirstScreen(screen(), 'other' as CommunityId)).toBeNull();
  });

  it('ignores malformed rows instead of showing any part of them', () => {
    const broken: unknown[] = [
      null,
      'Gardeners',
      [],
      { ...screen(), name: 42 },
      { ...screen(), members: -1 },
      { ...screen(), savedAt: Number.NaN },
      { ...screen(), threads: 'none' },
      { ...screen(), threads: [{ ...thread(1), replies: 1.5 }] },
      { ...screen(), threads: [{ ...thread(1), title: { html: '<b>' } }] },
      { ...screen(), threads: [{ ...thread(1), hidden: undefined }] },
      { ...screen(), threads: [{ ...thread(1), excerpt: 'x'.repeat(100_000) }] },
      { ...screen(), threads: [null] },
      {
        ...screen(),
        threads: Array.from({ length: FIRST_SCREEN_THREADS + 1 }, (_, i) => thread(i)),
      },
    ];
    for (const row of broken) expect(parseFirstScreen(row, COMMUNITY)).toBeNull();
  });

  it('keeps only the fields it knows', () => {
    const extra = { ...screen(), script: 'alert(1)', threads: [{ ...thread(1), html: '<img>' }] };
    const parsed = parseFirstScreen(extra, COMMUNITY);
    expect(parsed).not.toHaveProperty('script');
    expect(parsed?.threads[0]).not.toHaveProperty('html');
  });
});
