/**
 * Keeps a community's first screen (store/first-screen-store.ts) current: after the live state
 * changes, once the page is idle, the first threads of the feed as the feed shows them. Only
 * ever from the derived state of the open doc, so what a moderator hid stays hidden and a
 * banned member's posts stay out, exactly as on the live feed.
 */
import type { CommunityDoc } from '../community/community-doc';
import { memberOf } from '../community/devices/resolve';
import { listThreads } from '../community/discussions/threads';
import { visiblePosts } from '../community/governance/selectors';
import type { CommunityState } from '../community/state';
import type { CommunityId, MemberId } from '../shared/ids';
import {
  FIRST_SCREEN_EXCERPT,
  FIRST_SCREEN_THREADS,
  FIRST_SCREEN_VERSION,
  saveFirstScreen,
  type FirstScreen,
} from '../store/first-screen-store';
import { memberName } from '../community/names';

/** Quiet time after a change before the snapshot is taken: a burst of posts costs one write. */
const SETTLE_MS = 1_000;

/** The feed's first screen as display data; null while the community's genesis is missing. */
export function captureFirstScreen(
  state: CommunityState,
  me: MemberId,
  community: CommunityId,
  now: number,
): FirstScreen | null {
  if (!state.meta) return null;
  const threads = listThreads(visiblePosts(state), me).slice(0, FIRST_SCREEN_THREADS);
  return {
    v: FIRST_SCREEN_VERSION,
    community,
    savedAt: now,
    name: state.meta.name,
    description: state.meta.description,
    members: state.members.size,
    threads: threads.map(({ root, replies, lastActivity, lastActivityByOthers }) => {
      const hidden = state.hidden.get(root.id)?.reason ?? null;
      const shown = !root.deleted && hidden === null;
      return {
        id: root.id,
        title: shown ? root.title : null,
        author: memberName(state.profiles, root.author),
        mine: root.author === me,
        at: root.at,
        excerpt: shown ? [...root.text].slice(0, FIRST_SCREEN_EXCERPT).join('') : '',
        deleted: root.deleted,
        hidden,
        replies,
        lastActivity,
        lastActivityByOthers,
      };
    }),
  };
}

/** Writes the first screen after each change has settled; returns the stop function. */
export function keepFirstScreen(cdoc: CommunityDoc, community: CommunityId): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let idle: number | undefined;
  let lastWritten = '';
  let stopped = false;

  const write = () => {
    idle = undefined;
    if (stopped) return;
    const state = cdoc.state();
    const screen = captureFirstScreen(state, memberOf(state, cdoc.me), community, Date.now());
    if (!screen) return;
    // savedAt aside, an unchanged screen is not written again.
    const key = JSON.stringify({ ...screen, savedAt: 0 });
    if (key === lastWritten) return;
    lastWritten = key;
    saveFirstScreen(screen).catch(() => (lastWritten = ''));
  };
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (stopped || idle !== undefined) return;
      if (typeof requestIdleCallback === 'function')
        idle = requestIdleCallback(write, { timeout: 5_000 });
      else write();
    }, SETTLE_MS);
  };

  const unsubscribe = cdoc.subscribe(schedule);
  schedule(); // the state just opened is live too
  return () => {
    stopped = true;
    unsubscribe();
    clearTimeout(timer);
    if (idle !== undefined) cancelIdleCallback(idle);
  };
}
