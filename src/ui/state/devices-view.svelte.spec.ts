import { describe, expect, it } from 'vitest';
import type { Device } from '../../community/devices/state';
import type { EventId, MemberId } from '../../shared/ids';
import { CommunityView } from './community-view.svelte';
import { DevicesView } from './devices-view.svelte';
import { TestHandle } from './test-handle';

const key = (name: string) => name as MemberId;

function device(name: string, linkedAt: number, revoked = false): Device {
  return {
    key: key(name),
    member: key('me'),
    label: name,
    link: `link-${name}` as EventId,
    linkedAt,
    revoked,
    revokedAt: revoked ? linkedAt + 1 : null,
  };
}

function withDevices(...devices: Device[]): TestHandle {
  const handle = new TestHandle();
  const other = { ...device('Theirs', 9), member: key('someone else') };
  handle.change({ devices: new Map([...devices, other].map((d) => [d.key, d])) });
  return handle;
}

describe('DevicesView', () => {
  it('lists the primary first, then live devices newest first, revoked last; only mine', () => {
    const handle = withDevices(device('Old', 1), device('Gone', 5, true), device('New', 3));
    const rows = new DevicesView(new CommunityView(handle)).rows;
    expect(rows.map((r) => r.label)).toEqual(['The browser you joined with', 'New', 'Old', 'Gone']);
    expect(rows[0]).toMatchObject({ primary: true, thisBrowser: true, linkedAt: null });
    expect(rows[3]).toMatchObject({ revoked: true, online: false });
  });

  it('shows which devices are connected, and which one this browser is', () => {
    const handle = withDevices(device('Phone', 1), device('Tablet', 2));
    handle.thisDevice = key('Tablet');
    handle.onlineKeys = () => [key('me'), key('Phone')];
    const devices = new DevicesView(new CommunityView(handle));
    expect(devices.isLinkedDevice).toBe(true);
    const byLabel = new Map(devices.rows.map((r) => [r.label, r]));
    expect(byLabel.get('Phone')).toMatchObject({ online: true, thisBrowser: false });
    expect(byLabel.get('Tablet')).toMatchObject({ online: false, thisBrowser: true });
    expect(byLabel.get('The browser you joined with')).toMatchObject({
      online: true,
      thisBrowser: false,
    });
  });
});
