/**
 * The People page's rows, from the community state and who is online now. Pure. "Online" comes
 * only from authenticated connections (peers that proved their key at admission) and from
 * signed, expiring presence (app/presence), never from awareness states a peer could fill with
 * any name.
 */
import type { CommunityState } from '../community/state';
import { fingerprint } from '../community/names';
import type { MemberId } from '../shared/ids';

export interface Person {
  id: MemberId;
  name: string;
  bio: string;
  fingerprint: string;
  role: 'moderator' | 'member';
  online: boolean;
  /** Latest time we know them active (their events' and presence records' times, or now if online). */
  lastSeen: number;
}

export function listPeople(
  state: CommunityState,
  online: ReadonlySet<MemberId>,
  now: number,
  /** Latest signed presence `at` by member, live or expired. */
  presenceSeen: ReadonlyMap<MemberId, number> = new Map(),
): Person[] {
  const seen = new Map<MemberId, number>();
  const touch = (id: MemberId, at: number) => seen.set(id, Math.max(seen.get(id) ?? 0, at));
  for (const [id, member] of state.members) touch(id, member.joinedAt);
  for (const [id, profile] of state.profiles) touch(id, profile.updatedAt);
  for (const post of state.posts) touch(post.author, post.at);
  for (const [id, at] of presenceSeen) touch(id, at);
  const people: Person[] = [...state.members.keys()].map((id) => {
    const profile = state.profiles.get(id);
    const isOnline = online.has(id);
    return {
      id,
      name: profile?.name.trim() || id.slice(0, 8),
      bio: profile?.bio ?? '',
      fingerprint: fingerprint(id),
      role: state.moderators.has(id) ? 'moderator' : 'member',
      online: isOnline,
      lastSeen: isOnline ? now : (seen.get(id) ?? 0),
    };
  });
  return people.sort(
    (a, b) =>
      Number(b.online) - Number(a.online) || a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1),
  );
}
