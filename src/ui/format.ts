/** Pure formatting for what the UI shows: names, times, sync status. No DOM, no runes. */
import { err, ok, type Result } from '../shared/result';
import type { SyncStatus } from './api';

/** Characters as a person counts them (code points), matching the community layer's limits. */
export function charCount(text: string): number {
  return [...text].length;
}

/** Trimmed text of 1..max characters, or the reason it is not acceptable, in plain words. */
export function validateRequired(raw: string, what: string, max: number): Result<string> {
  const value = raw.trim();
  if (value.length === 0) return err(`Enter ${what}.`);
  const length = charCount(value);
  if (length > max) return err(`Keep it to ${max} characters or fewer (now ${length}).`);
  return ok(value);
}

/** Trimmed text of at most max characters (may be empty). */
export function validateOptional(raw: string, max: number): Result<string> {
  const value = raw.trim();
  const length = charCount(value);
  if (length > max) return err(`Keep it to ${max} characters or fewer (now ${length}).`);
  return ok(value);
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// Building an Intl formatter costs far more than using one, and a feed formats thousands of times.
const formatters = new Map<string, Intl.DateTimeFormat>();
function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale} ${JSON.stringify(options)}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    formatters.set(key, format);
  }
  return format;
}

/** Short relative time: "just now", "5 min ago", "3 h ago", "yesterday", "Mar 4", "Mar 4, 2024". */
export function relativeTime(at: number, now: number, locale = 'en'): string {
  const ago = now - at;
  // Clocks disagree a little between peers: a post from "the near future" was just now.
  if (ago < 45_000) return 'just now';
  if (ago < HOUR) return `${Math.max(1, Math.round(ago / MINUTE))} min ago`;
  if (ago < DAY) return `${Math.floor(ago / HOUR)} h ago`;
  if (ago < 2 * DAY) return 'yesterday';
  const sameYear = new Date(at).getFullYear() === new Date(now).getFullYear();
  const options: Intl.DateTimeFormatOptions = sameYear
    ? { month: 'short', day: 'numeric' }
    : { month: 'short', day: 'numeric', year: 'numeric' };
  return dateFormat(locale, options).format(at);
}

/** Full local date and time, for a tooltip. */
export function fullTime(at: number, locale = 'en'): string {
  return dateFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(at);
}

export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** How the status dot is coloured. */
export type SyncTone = 'offline' | 'alone' | 'syncing' | 'synced';

export interface SyncSummary {
  tone: SyncTone;
  text: string;
}

/** The status line's words: only what `status` says is true, nothing more hopeful. */
export function describeSync(status: SyncStatus): SyncSummary {
  if (!status.online) return { tone: 'offline', text: 'Offline' };
  const total = status.relays.length;
  const connected = status.relays.filter((relay) => relay.connected).length;
  let relays: string;
  if (total === 0) relays = 'No relay configured';
  else if (connected === 0) relays = 'No relay reachable';
  else if (total === 1) relays = 'Relay connected';
  else relays = `${connected} of ${total} relays`;

  const parts = [relays];
  let tone: SyncTone;
  if (status.peers === 0) {
    parts.push('No peers online');
    tone = 'alone';
  } else if (status.progress) {
    const { done, total } = status.progress;
    parts.push(plural(status.peers, 'peer', 'peers'), `Syncing (${done} of ${total})`);
    tone = 'syncing';
  } else if (status.upToDatePeers !== undefined) {
    // Up to date means equal state vectors (docs/offline.md), not merely a finished handshake.
    const matching = status.upToDatePeers;
    if (matching >= status.peers) {
      parts.push(`Up to date with ${plural(status.peers, 'peer', 'peers')}`);
      tone = 'synced';
    } else {
      parts.push(plural(status.peers, 'peer', 'peers'));
      parts.push(matching === 0 ? 'Exchanging changes…' : `Up to date with ${matching}`);
      tone = 'syncing';
    }
  } else {
    parts.push(plural(status.peers, 'peer', 'peers'));
    if (status.syncedPeers >= status.peers) {
      parts.push('Up to date');
      tone = 'synced';
    } else {
      parts.push('Syncing…');
      tone = 'syncing';
    }
  }
  // A peer we cannot sync with for its version: say which side must update.
  if (status.otherVersion === 'newer') parts.push('A member runs a newer Moot: reload to update');
  else if (status.otherVersion === 'older')
    parts.push('A member runs an older Moot and cannot sync until they reload');
  return { tone, text: parts.join(' · ') };
}
