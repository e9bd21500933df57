/**
 * This member's devices over a CommunityView (docs/membership.md, "Devices"): the browser they
 * joined with and the ones linked to it, which are online now, which one this is. Reads go
 * through the view, so they are reactive.
 */
import { devicesOf } from '../../community/devices/state';
import type { MemberId } from '../../shared/ids';
import type { Result } from '../../shared/result';
import type { CommunityView } from './community-view.svelte';

export interface DeviceRow {
  key: MemberId;
  /** The browser the member joined with: its key is the member id; it cannot be revoked. */
  primary: boolean;
  label: string;
  linkedAt: number | null;
  revoked: boolean;
  online: boolean;
  thisBrowser: boolean;
}

export class DevicesView {
  readonly view: CommunityView;

  constructor(view: CommunityView) {
    this.view = view;
  }

  /** Whether this browser is a linked device (it cannot link further devices). */
  get isLinkedDevice(): boolean {
    return this.view.state.devices.has(this.view.handle.thisDevice);
  }

  /** The primary first, then linked devices, newest first; revoked ones last. */
  get rows(): DeviceRow[] {
    const state = this.view.state;
    void this.view.status; // connections come and go with the status
    const online = this.view.handle.onlineKeys();
    const me = this.view.me;
    const here = this.view.handle.thisDevice;
    const linked = devicesOf(state, me).sort(
      (a, b) => Number(a.revoked) - Number(b.revoked) || b.linkedAt - a.linkedAt,
    );
    return [
      {
        key: me,
        primary: true,
        label: 'The browser you joined with',
        linkedAt: null,
        revoked: false,
        online: online.includes(me),
        thisBrowser: here === me,
      },
      ...linked.map((d) => ({
        key: d.key,
        primary: false,
        label: d.label || 'Unnamed device',
        linkedAt: d.linkedAt,
        revoked: d.revoked,
        online: !d.revoked && online.includes(d.key),
        thisBrowser: here === d.key,
      })),
    ];
  }

  createLink(label: string): Promise<Result<string>> {
    return this.view.handle.createDeviceLink(label);
  }

  revoke(device: MemberId): Promise<Result<void>> {
    return this.view.handle.revokeDevice(device);
  }
}
