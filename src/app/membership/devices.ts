/**
 * The CommunityHandle's device methods (docs/membership.md, "Devices"): a one-time link for
 * another browser of ours, revoking a device, and opening such a link on the new browser.
 */
import type { CommunityDoc } from '../../community/community-doc';
import { memberOf } from '../../community/devices/resolve';
import { writeDeviceAdd, writeDeviceLink } from '../../community/devices/link';
import { isInGoodStanding } from '../../community/governance/policy';
import { encodeInviteLink, type InvitePayload } from '../../community/invite-link';
import { LIMITS } from '../../community/limits';
import { randomBytes } from '../../shared/bytes';
import type { MemberId } from '../../shared/ids';
import { err, ok, type Result } from '../../shared/result';
import type { JoinedCommunity } from '../../store/registry-store';
import type { CommunityHandle } from '../../ui/api';
import { describeError } from '../errors';
import type { MembershipKeeper } from './keeper';

type DeviceActions = Pick<
  CommunityHandle,
  'createDeviceLink' | 'revokeDevice' | 'onlineMembers' | 'onlineKeys'
>;

export function deviceActions(
  cdoc: CommunityDoc,
  entry: JoinedCommunity,
  keeper: MembershipKeeper,
  origin: string,
  /** Keys online beyond our direct links, by their signed presence (app/presence). */
  presenceKeys: () => MemberId[] = () => [],
): DeviceActions {
  const onlineKeys = () => [...new Set([...keeper.connectedMembers(), ...presenceKeys()])];
  return {
    async createDeviceLink(label: string): Promise<Result<string>> {
      const name = label.trim();
      if ([...name].length > LIMITS.inviteLabel)
        return err(`Keep the device name to ${LIMITS.inviteLabel} characters or fewer.`);
      const state = cdoc.state();
      if (state.devices.has(cdoc.me))
        return err('Link new devices from the browser you joined with, not from a linked device.');
      if (!isInGoodStanding(state, cdoc.me))
        return err('Only members can link devices. Wait until your join is accepted.');
      try {
        // The seed lives only in the link: shown once, never stored (a new link is one click).
        const seed = randomBytes(32);
        const event = await writeDeviceLink(cdoc, seed, name);
        return ok(
          encodeInviteLink(origin, {
            community: entry.id,
            secret: entry.secret,
            inviteSeed: seed,
            inviteEvent: event.id,
            relays: entry.relays,
            device: true,
          }),
        );
      } catch (e) {
        return err(describeError(e, 'create the device link'));
      }
    },

    async revokeDevice(device: MemberId): Promise<Result<void>> {
      const state = cdoc.state();
      if (state.devices.get(device)?.member !== memberOf(state, cdoc.me))
        return err('That is not one of your devices.');
      try {
        await cdoc.append('device.revoke', { device });
        return ok(undefined);
      } catch (e) {
        return err(describeError(e, 'revoke the device'));
      }
    },

    // Presence is per member: a member online from two devices is one person online.
    onlineMembers: () => {
      const state = cdoc.state();
      return [...new Set(onlineKeys().map((key) => memberOf(state, key)))];
    },
    onlineKeys,
  };
}

/** On the new browser: writes its device.add (before any sync) unless it already did. */
export async function linkThisBrowser(cdoc: CommunityDoc, link: InvitePayload): Promise<void> {
  for (const { event } of cdoc.events.values())
    if (event.kind === 'device.add' && event.author === cdoc.me) return;
  await writeDeviceAdd(cdoc, { seed: link.inviteSeed, event: link.inviteEvent });
}
