/**
 * Devices at the admission handshake and while connected (docs/membership.md, "Devices"),
 * judged on our state and our clock, now. Pure; the caller verified the key's signature and
 * the credential.
 */
import type { MemberId } from '../../shared/ids';
import { err, ok, type Result } from '../../shared/result';
import { isInGoodStanding } from '../governance/policy';
import type { JoinRefusal } from '../invites/invite-status';
import type { CommunityState } from '../state';
import type { DeviceAdd } from './credential';

/**
 * The verdict on `key` as a device: in as its member, or refused and why. Null when `key` is
 * no device as far as we know and shows no device.add: then it is judged as a member or joiner.
 */
export function judgeDevice(
  state: CommunityState,
  key: MemberId,
  add: DeviceAdd | null,
  now: number,
): Result<'member', JoinRefusal> | null {
  if (state.meta === null) return null;
  const device = state.devices.get(key);
  if (device) {
    if (device.revoked) return err('device-revoked');
    return standingOf(state, device.member);
  }
  if (!add) return null;
  const refused = state.deviceRefusals.get(key);
  if (refused) return err(refused);
  // The device wrote its add before syncing: we are the first to see it. Check its link, now.
  const link = state.deviceLinks.get(add.event.body.link);
  if (!link || link.publicKey !== add.event.body.linkPublicKey) return err('device-link-unknown');
  if (link.usedBy !== null) return err('device-link-used');
  if (now > link.expiresAt) return err('device-link-expired');
  return standingOf(state, link.member);
}

/** The member `key` speaks for as a device (known, or through the link its add names), else itself. */
export function deviceOwner(state: CommunityState, key: MemberId, add: DeviceAdd | null): MemberId {
  const link = add ? state.deviceLinks.get(add.event.body.link) : undefined;
  return state.devices.get(key)?.member ?? link?.member ?? key;
}

/** A device stands as its member does: a banned member's devices are refused as banned. */
function standingOf(state: CommunityState, member: MemberId): Result<'member', JoinRefusal> {
  if (state.bans.has(member)) return err('banned');
  return isInGoodStanding(state, member) ? ok('member') : err('not-a-member');
}

/** Connected device keys our state no longer lets in: revoked, or their member banned. */
export function deviceNoLongerWelcome(state: CommunityState, key: MemberId): boolean {
  const device = state.devices.get(key);
  return device !== undefined && (device.revoked || state.bans.has(device.member));
}

/** Why this browser's key, as a device, is not let in: revoked, or its link did not count. */
export function deviceRefusalOf(state: CommunityState, key: MemberId): JoinRefusal | null {
  if (state.devices.get(key)?.revoked) return 'device-revoked';
  return state.deviceRefusals.get(key) ?? null;
}
