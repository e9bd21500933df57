/** The devices part of the community state (docs/membership.md, "Devices"). Plain data. */
import type { EventId, MemberId } from '../../shared/ids';
import type { JoinRefusal } from '../invites/invite-status';

export interface DeviceLink {
  id: EventId;
  /** The member whose device the link adds; always the link event's author (a primary key). */
  member: MemberId;
  publicKey: string;
  label: string;
  createdAt: number;
  expiresAt: number;
  /** The device key that used it: a link adds one device, the first in causal order. */
  usedBy: MemberId | null;
}

export interface Device {
  /** The device's own public key: the `author` of its events. */
  key: MemberId;
  member: MemberId;
  label: string;
  link: EventId;
  linkedAt: number;
  /** Once revoked, never again: its later and concurrent events are ignored. */
  revoked: boolean;
  revokedAt: number | null;
}

export interface DevicesState {
  deviceLinks: Map<EventId, DeviceLink>;
  /** By device key, revoked ones included. A member's own (primary) key is never here. */
  devices: Map<MemberId, Device>;
  /** Why a key's `device.add` did not count (a used, expired or unknown link), to tell that device. */
  deviceRefusals: Map<MemberId, JoinRefusal>;
}

export const emptyDevices = (): DevicesState => ({
  deviceLinks: new Map(),
  devices: new Map(),
  deviceRefusals: new Map(),
});

/** A member's devices, revoked ones included, in the order they were linked. */
export function devicesOf(state: DevicesState, member: MemberId): Device[] {
  return [...state.devices.values()].filter((d) => d.member === member);
}
