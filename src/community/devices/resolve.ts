/**
 * Device events count as their member's (DESIGN.md §3 keeps `author` = the signing key, which
 * the Yjs clientID is bound to). The reducer resolves each event's author here, before bans,
 * permissions and every transform see it, so names, roles, votes and bans apply to a member
 * through any of their devices.
 */
import type { MemberId } from '../../shared/ids';
import type { AnyEvent } from '../event';
import type { DevicesState } from './state';

/** The member a key acts for: its member if it is a live device, else the key itself. */
export function memberOf(state: DevicesState, key: MemberId): MemberId {
  const device = state.devices.get(key);
  return device && !device.revoked ? device.member : key;
}

/**
 * The event as its member's, or null when a revoked device signed it: a revoked key is dead
 * for good (it cannot even join afresh). `device.link` keeps its signer: only a member's own
 * key may link devices (devices/transforms.ts says why).
 */
export function asMember(state: DevicesState, event: AnyEvent): AnyEvent | null {
  // Most communities link no device: then no key is looked up (a cold open asks per event).
  if (state.devices.size === 0) return event;
  const device = state.devices.get(event.author);
  if (!device) return event;
  if (device.revoked) return null;
  if (event.kind === 'device.link') return event;
  return { ...event, author: device.member };
}
