/**
 * What a device shows at the admission handshake: its signed `device.add`. A peer that holds
 * the device link but has not yet seen the add (the device wrote it before syncing) can then
 * check the device by itself (standing.ts), as it checks a newcomer's join.
 */
import { decodeCanonical, encodeCanonical } from '../../shared/canonical';
import type { CommunityId, MemberId } from '../../shared/ids';
import { err, ok, type Result } from '../../shared/result';
import type { MootEvent, SignedEvent } from '../event';
import { pack, unpack } from '../invites/credential';

export type DeviceAdd = SignedEvent & { event: MootEvent<'device.add'> };

export function encodeDeviceCredential(add: SignedEvent): Uint8Array {
  return encodeCanonical({ device: pack(add) });
}

/**
 * The device.add in a credential, verified and checked to be `key`'s in this community; null
 * when the credential is not a device's (a join's, invites/credential.ts).
 */
export async function decodeDeviceCredential(
  bytes: Uint8Array,
  key: MemberId,
  community: CommunityId,
): Promise<Result<DeviceAdd | null>> {
  const decoded = decodeCanonical(bytes);
  if (!decoded.ok || typeof decoded.value !== 'object' || decoded.value === null)
    return err('credential is malformed');
  const fields = decoded.value as Record<string, unknown>;
  if (fields.device === undefined) return ok(null);
  const add = await unpack(fields.device);
  if (!add.ok) return add;
  const e = add.value.event;
  if (e.kind !== 'device.add' || e.author !== key || e.community !== community)
    return err('credential is not this device’s');
  return ok(add.value as DeviceAdd);
}
