import { describe, expect, it } from 'vitest';
import type { SyncStatus } from './api';
import {
  charCount,
  describeSync,
  relativeTime,
  validateOptional,
  validateRequired,
} from './format';

describe('validateRequired', () => {
  it('trims and accepts 1..max characters', () => {
    expect(validateRequired('  Ada  ', 'a name', 64)).toEqual({ ok: true, value: 'Ada' });
  });

  it('says what to enter when empty or blank', () => {
    expect(validateRequired('   ', 'a display name', 64)).toEqual({
      ok: false,
      error: 'Enter a display name.',
    });
  });

  it('counts code points, not UTF-16 units, and says how long it is', () => {
    expect(validateRequired('😀'.repeat(64), 'a name', 64).ok).toBe(true);
    expect(validateRequired('x'.repeat(65), 'a name', 64)).toEqual({
      ok: false,
      error: 'Keep it to 64 characters or fewer (now 65).',
    });
  });

  it('allows empty optional text but not too much', () => {
    expect(validateOptional('  ', 10)).toEqual({ ok: true, value: '' });
    expect(validateOptional('x'.repeat(11), 10).ok).toBe(false);
  });

  it('charCount counts astral characters once', () => {
    expect(charCount('a😀b')).toBe(3);
  });
});

describe('relativeTime', () => {
  const now = Date.UTC(2026, 10, 25, 12, 0, 0);

  it('says "just now" for the last few seconds and for slightly future clocks', () => {
    expect(relativeTime(now - 10_000, now)).toBe('just now');
    expect(relativeTime(now + 60_000, now)).toBe('just now');
  });

  it('counts minutes, then hours, then says yesterday', () => {
    expect(relativeTime(now - 50_000, now)).toBe('1 min ago');
    expect(relativeTime(now - 5 * 60_000, now)).toBe('5 min ago');
    expect(relativeTime(now - 3 * 3_600_000 - 5, now)).toBe('3 h ago');
    expect(relativeTime(now - 30 * 3_600_000, now)).toBe('yesterday');
  });

  it('shows a short date for older posts, with the year only when it differs', () => {
    expect(relativeTime(Date.UTC(2026, 2, 4, 12), now)).toBe('Mar 4');
    expect(relativeTime(Date.UTC(2024, 2, 4, 12), now)).toBe('Mar 4, 2024');
  });
});

describe('describeSync', () => {
  const base: SyncStatus = {
    online: true,
    relays: [{ url: 'wss://a/signal', connected: true }],
    peers: 0,
    syncedPeers: 0,
    waitingForCommunity: false,
  };

  it('says Offline and nothing else when the browser is offline', () => {
    expect(describeSync({ ...base, online: false, peers: 2, syncedPeers: 2 })).toEqual({
      tone: 'offline',
      text: 'Offline',
    });
  });

  it('reports the relay and that nobody is online', () => {
    expect(describeSync(base)).toEqual({
      tone: 'alone',
      text: 'Relay connected · No peers online',
    });
    const down = { ...base, relays: [{ url: 'wss://a/signal', connected: false }] };
    expect(describeSync(down).text).toBe('No relay reachable · No peers online');
  });

  it('says which side must update when a peer speaks another protocol version', () => {
    expect(describeSync({ ...base, otherVersion: 'newer' }).text).toBe(
      'Relay connected · No peers online · A member runs a newer Moot: reload to update',
    );
    expect(describeSync({ ...base, peers: 1, syncedPeers: 1, otherVersion: 'older' }).text).toBe(
      'Relay connected · 1 peer · Up to date · A member runs an older Moot and cannot sync until they reload',
    );
  });

  it('counts relays when there are several', () => {
    const relays = [
      { url: 'wss://a/signal', connected: true },
      { url: 'wss://b/signal', connected: false },
      { url: 'wss://c/signal', connected: true },
    ];
    expect(describeSync({ ...base, relays }).text).toBe('2 of 3 relays · No peers online');
    const none = relays.map((relay) => ({ ...relay, connected: false }));
    expect(describeSync({ ...base, relays: none }).text).toBe(
      'No relay reachable · No peers online',
    );
  });

  it('is up to date only when every connected peer has synced', () => {
    expect(describeSync({ ...base, peers: 1, syncedPeers: 1 })).toEqual({
      tone: 'synced',
      text: 'Relay connected · 1 peer · Up to date',
    });
    expect(describeSync({ ...base, peers: 3, syncedPeers: 2 })).toEqual({
      tone: 'syncing',
      text: 'Relay connected · 3 peers · Syncing…',
    });
  });

  it('says up to date only for peers whose state vectors match ours', () => {
    expect(describeSync({ ...base, peers: 2, syncedPeers: 2, upToDatePeers: 2 })).toEqual({
      tone: 'synced',
      text: 'Relay connected · Up to date with 2 peers',
    });
    expect(describeSync({ ...base, peers: 2, syncedPeers: 2, upToDatePeers: 1 })).toEqual({
      tone: 'syncing',
      text: 'Relay connected · 2 peers · Up to date with 1',
    });
    expect(describeSync({ ...base, peers: 1, syncedPeers: 1, upToDatePeers: 0 }).text).toBe(
      'Relay connected · 1 peer · Exchanging changes…',
    );
  });

  it('counts events during a catch-up', () => {
    const status = { ...base, peers: 1, upToDatePeers: 0, progress: { done: 40, total: 99 } };
    expect(describeSync(status)).toEqual({
      tone: 'syncing',
      text: 'Relay connected · 1 peer · Syncing (40 of 99)',
    });
  });
});
