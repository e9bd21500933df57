/**
 * The reducer's transforms for devices (docs/membership.md, "Devices").
 *
 * Decisions, and why:
 * - Only a member's own key (their member id) links devices. A device that could link devices
 *   could, once stolen, plant more devices that outlive its own revocation.
 * - Any live key of the member — the primary or a device — revokes any of the member's devices,
 *   so a lost device can be cut off from whichever one is at hand. No device can revoke the
 *   primary key: it *is* the member id; a stolen primary is a stolen identity, for a ban.
 * - A link adds one device, the first `device.add` in causal order, and only before it expires.
 *   Expiry is judged at the add's effective time (the latest `at` in its causal past), the
 *   best a DAG offers; honest peers also refuse an expired link at the handshake, by their clock.
 * - Removal wins: the revoked device's events concurrent with the revoke are struck out
 *   (ReductionRun), its later ones are ignored (resolve.ts).
 */
import type { EventId } from '../../shared/ids';
import type { MootEvent } from '../event';
import { isInGoodStanding } from '../governance/policy';
import type { ReductionRun } from '../governance/run';
import type { CommunityState } from '../state';

export function applyDeviceLink(
  state: CommunityState,
  e: MootEvent<'device.link'>,
  id: EventId,
): void {
  // A device's key is not in `members`, so this also refuses links written by a device.
  if (!isInGoodStanding(state, e.author)) return;
  state.deviceLinks.set(id, {
    id,
    member: e.author,
    publicKey: e.body.publicKey,
    label: e.body.label,
    createdAt: e.at,
    expiresAt: e.body.expiresAt,
    usedBy: null,
  });
}

export function applyDeviceAdd(
  state: CommunityState,
  e: MootEvent<'device.add'>,
  id: EventId,
  run: ReductionRun,
): void {
  // A key already in use (member, device, joiner) stays what it is.
  if (state.members.has(e.author) || state.devices.has(e.author)) return;
  if (state.joinRequests.has(e.author) || !e.deps.includes(e.body.link)) return;
  const link = state.deviceLinks.get(e.body.link);
  const refusal =
    !link || link.publicKey !== e.body.linkPublicKey
      ? 'device-link-unknown'
      : link.usedBy !== null
        ? 'device-link-used'
        : run.effectiveAt(id) > link.expiresAt
          ? 'device-link-expired'
          : !isInGoodStanding(state, link.member)
            ? 'not-a-member'
            : null;
  if (refusal || !link) {
    state.deviceRefusals.set(e.author, refusal ?? 'device-link-unknown');
    return;
  }
  link.usedBy = e.author;
  state.deviceRefusals.delete(e.author);
  state.devices.set(e.author, {
    key: e.author,
    member: link.member,
    label: link.label,
    link: link.id,
    linkedAt: e.at,
    revoked: false,
    revokedAt: null,
  });
  run.addDevice(link.member, e.author);
}

export function applyDeviceRevoke(
  state: CommunityState,
  e: MootEvent<'device.revoke'>,
  id: EventId,
  run: ReductionRun,
): void {
  // The author is already the member when a device signed it (resolve.ts).
  const device = state.devices.get(e.body.device);
  if (!device || device.revoked || device.member !== e.author) return;
  if (!isInGoodStanding(state, e.author)) return;
  device.revoked = true;
  device.revokedAt = e.at;
  run.removeConcurrent(device.key, id, () => true);
}
