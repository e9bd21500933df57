/**
 * How members are named on screen, from the derived state alone: a display name, told apart by
 * a key fingerprint when two members chose the same one. Used by the UI and by the stored first
 * screen (app/first-screen.ts), so both name people alike.
 */
import type { MemberId } from '../shared/ids';
import type { Profile } from './state';

/**
 * A short, stable fingerprint of a member's key, shown beside names so two "Alice"s are told
 * apart: the first 8 characters (48 bits) of the key, in two groups.
 */
export function fingerprint(member: MemberId): string {
  return `${member.slice(0, 4)}·${member.slice(4, 8)}`;
}

/** A member's display name, or the start of their id while no profile has arrived. */
export function memberName(profiles: ReadonlyMap<MemberId, Profile>, id: MemberId): string {
  const name = profiles.get(id)?.name.trim();
  if (!name) return id.slice(0, 8);
  // Two members may pick the same name: then each shows the start of their key too.
  return nameCount(profiles, name) > 1 ? `${name} (${fingerprint(id)})` : name;
}

/** Per profiles map (a new one per derived state), how many members use each name. */
const nameCounts = new WeakMap<ReadonlyMap<MemberId, Profile>, Map<string, number>>();
function nameCount(profiles: ReadonlyMap<MemberId, Profile>, name: string): number {
  let counts = nameCounts.get(profiles);
  if (!counts) {
    counts = new Map();
    for (const profile of profiles.values()) {
      const n = profile.name.trim();
      counts.set(n, (counts.get(n) ?? 0) + 1);
    }
    nameCounts.set(profiles, counts);
  }
  return counts.get(name) ?? 0;
}
