/**
 * What a community's feed showed last time, kept as one small row per community so the next
 * open can show it at once while the doc loads and the state is derived (docs/discussions.md,
 * "First screen"). It is display data only, written from the live derived state (so hidden
 * posts and banned members' posts are already left out or marked), never read as authority,
 * never synced, never exported. A row is checked field by field on reading, like any input
 * from outside this code: a malformed row, or one of another version, is ignored.
 */
import { createStore, del, get, set } from 'idb-keyval';
import type { CommunityId, EventId } from '../shared/ids';

export const FIRST_SCREEN_VERSION = 1;
/** Threads kept: more than one screen of the thread list holds at any window height. */
export const FIRST_SCREEN_THREADS = 30;
/** Characters of a thread's text kept for its card (the card shows a few lines). */
export const FIRST_SCREEN_EXCERPT = 400;

export interface FirstScreenThread {
  id: EventId;
  title: string | null;
  author: string;
  /** The author is this browser's member ("you" on the card). */
  mine: boolean;
  at: number;
  /** The start of the text; '' for a deleted or hidden post. */
  excerpt: string;
  deleted: boolean;
  /** A moderator's reason, when the post is hidden. */
  hidden: string | null;
  replies: number;
  lastActivity: number;
  /** The newest post by someone else: the unread marker's input (threads.ts isUnread). */
  lastActivityByOthers: number;
}

export interface FirstScreen {
  v: typeof FIRST_SCREEN_VERSION;
  community: CommunityId;
  savedAt: number;
  name: string;
  description: string;
  members: number;
  threads: FirstScreenThread[];
}

let opened: ReturnType<typeof createStore> | undefined;
const store = () => (opened ??= createStore('moot-first-screen', 'screens'));

/** The community's stored first screen, or null if there is none or it does not check out. */
export async function loadFirstScreen(community: CommunityId): Promise<FirstScreen | null> {
  try {
    return parseFirstScreen(await get<unknown>(community, store()), community);
  } catch {
    return null;
  }
}

export const saveFirstScreen = (screen: FirstScreen): Promise<void> =>
  set(screen.community, screen, store());

export const forgetFirstScreen = (community: CommunityId): Promise<void> => del(community, store());

const isString = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/** Checks a stored row; null unless it is a first screen of this version for `community`. */
export function parseFirstScreen(row: unknown, community: CommunityId): FirstScreen | null {
  if (typeof row !== 'object' || row === null) return null;
  const r = row as Record<string, unknown>;
  if (r.v !== FIRST_SCREEN_VERSION || r.community !== community) return null;
  if (!isTime(r.savedAt) || !isCount(r.members)) return null;
  if (!isString(r.name, 1_000) || !isString(r.description, 10_000)) return null;
  if (!Array.isArray(r.threads) || r.threads.length > FIRST_SCREEN_THREADS) return null;
  const threads: FirstScreenThread[] = [];
  for (const t of r.threads as unknown[]) {
    const thread = parseThread(t);
    if (!thread) return null;
    threads.push(thread);
  }
  return {
    v: FIRST_SCREEN_VERSION,
    community,
    savedAt: r.savedAt,
    name: r.name,
    description: r.description,
    members: r.members,
    threads,
  };
}

function parseThread(value: unknown): FirstScreenThread | null {
  if (typeof value !== 'object' || value === null) return null;
  const t = value as Record<string, unknown>;
  if (!isString(t.id, 100) || !isString(t.author, 1_000)) return null;
  if (t.title !== null && !isString(t.title, 1_000)) return null;
  if (!isString(t.excerpt, FIRST_SCREEN_EXCERPT * 2)) return null; // UTF-16 units, code points kept
  if (t.hidden !== null && !isString(t.hidden, 10_000)) return null;
  if (typeof t.mine !== 'boolean' || typeof t.deleted !== 'boolean') return null;
  if (!isTime(t.at) || !isTime(t.lastActivity) || !isTime(t.lastActivityByOthers)) return null;
  if (!isCount(t.replies)) return null;
  return {
    id: t.id as EventId,
    title: t.title,
    author: t.author,
    mine: t.mine,
    at: t.at,
    excerpt: t.excerpt,
    deleted: t.deleted,
    hidden: t.hidden,
    replies: t.replies,
    lastActivity: t.lastActivity,
    lastActivityByOthers: t.lastActivityByOthers,
  };
}
