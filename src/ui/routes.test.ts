import { describe, expect, it } from 'vitest';
import type { CommunityId, EventId } from '../shared/ids';
import { communityHash, inviteFragment, logEntryHash, parseRoute, threadHash } from './routes';

describe('parseRoute', () => {
  it('reads home, join and community routes', () => {
    expect(parseRoute('')).toEqual({ kind: 'home' });
    expect(parseRoute('#/')).toEqual({ kind: 'home' });
    expect(parseRoute('#/join/abc_DEF-123')).toEqual({ kind: 'join', payload: 'abc_DEF-123' });
    expect(parseRoute('#/c/xyz')).toEqual({ kind: 'community', id: 'xyz', section: 'feed' });
    expect(parseRoute('#/c/xyz/feed')).toEqual({ kind: 'community', id: 'xyz', section: 'feed' });
    expect(parseRoute('#/c/xyz/nowhere').kind).toBe('notFound');
  });

  it('round-trips community ids through communityHash', () => {
    const id = 'a-b_c' as CommunityId;
    expect(parseRoute(communityHash(id))).toEqual({ kind: 'community', id, section: 'feed' });
  });

  it('reads a thread page and round-trips it through threadHash', () => {
    const id = 'a-b_c' as CommunityId;
    const thread = 'T'.repeat(43) as EventId;
    expect(parseRoute(threadHash(id, thread))).toEqual({
      kind: 'community',
      id,
      section: 'feed',
      thread,
    });
    expect(parseRoute('#/c/xyz/t/short').kind).toBe('notFound');
  });

  it('reads a moderation-log entry and round-trips it through logEntryHash', () => {
    const id = 'a-b_c' as CommunityId;
    const entry = 'L'.repeat(43) as EventId;
    expect(parseRoute(logEntryHash(id, entry))).toEqual({
      kind: 'community',
      id,
      section: 'governance',
      log: entry,
    });
    expect(parseRoute('#/c/xyz/governance/log/short').kind).toBe('notFound');
  });

  it('does not guess at anything else', () => {
    expect(parseRoute('#/join/not base64!').kind).toBe('notFound');
    expect(parseRoute('#/c/%E0%A4%A').kind).toBe('notFound');
    expect(parseRoute('#/settings').kind).toBe('notFound');
  });
});

describe('inviteFragment', () => {
  it('accepts a full invite URL from any host', () => {
    expect(inviteFragment(' https://moot.example:8787/#/join/AbC-_9 \n')).toBe('#/join/AbC-_9');
  });

  it('accepts just the fragment', () => {
    expect(inviteFragment('#/join/AbC')).toBe('#/join/AbC');
  });

  it('rejects text that is not a Moot invite link', () => {
    expect(inviteFragment('')).toBeNull();
    expect(inviteFragment('https://example.com/')).toBeNull();
    expect(inviteFragment('https://example.com/#/c/abc')).toBeNull();
    expect(inviteFragment('#/join/')).toBeNull();
    expect(inviteFragment('#/join/has spaces')).toBeNull();
  });
});
