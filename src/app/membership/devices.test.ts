/**
 * Devices at the admission handshake, with the real community hooks over an in-memory pipe: a
 * device proves its own key and is let in as its member; a new device is checked against its
 * link by the member's clock; a revoked device, an expired or used link are refused, and say so.
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { CommunityDoc } from '../../community/community-doc';
import { writeDeviceLink } from '../../community/devices/link';
import { generateIdentity } from '../../community/identity';
import { foundTestCommunity, sync, type TestCommunity } from '../../community/test-helpers';
import { randomBytes } from '../../shared/bytes';
import type { EventId } from '../../shared/ids';
import { admissionHooks } from './admission-hooks';
import { linkThisBrowser } from './devices';
import { handshake, refusedBecause } from './test-handshake';

/** A device link written by the founder: its seed and event, as the link carries them. */
async function deviceLink(t: TestCommunity, now = Date.now()) {
  const seed = randomBytes(32);
  const event = await writeDeviceLink(t.cdoc, seed, 'Phone', now);
  return { seed, event: event.id };
}

/** A new browser that opened the link: its own key, its device.add, nothing synced. */
async function newDevice(t: TestCommunity, link: { seed: Uint8Array; event: EventId }) {
  const identity = await generateIdentity();
  const cdoc = await CommunityDoc.open(new Y.Doc(), t.founded.community, identity);
  const payload = {
    community: t.founded.community,
    secret: t.founded.secret,
    inviteSeed: link.seed,
    inviteEvent: link.event,
    relays: [],
    device: true,
  };
  await linkThisBrowser(cdoc, payload);
  return { identity, cdoc, payload, hooks: admissionHooks(cdoc, identity) };
}

describe('devices at the admission handshake', () => {
  it('lets a new device in on its own key, then syncs it as the member’s device', async () => {
    const t = await foundTestCommunity();
    const founderHooks = admissionHooks(t.cdoc, t.founder);
    const phone = await newDevice(t, await deviceLink(t));
    const first = await handshake(phone.hooks, founderHooks);
    expect(first.answerer).toEqual({ ok: true, value: phone.identity.memberId });

    await sync(phone.cdoc.doc, t.doc, t.founded.community);
    await sync(t.doc, phone.cdoc.doc, t.founded.community);
    expect(t.cdoc.state().devices.get(phone.identity.memberId)?.member).toBe(t.founder.memberId);
    // Linking twice writes nothing new.
    const before = phone.cdoc.events.size;
    await linkThisBrowser(phone.cdoc, phone.payload);
    expect(phone.cdoc.events.size).toBe(before);
    // Known now: in without its credential mattering, and both sides see each other.
    const again = await handshake(phone.hooks, founderHooks);
    expect(again.answerer.ok && again.dialer.ok).toBe(true);
  });

  it('refuses a device whose link expired by the member’s clock, and one whose link was used', async () => {
    const t = await foundTestCommunity();
    const founderHooks = admissionHooks(t.cdoc, t.founder);
    const old = await deviceLink(t, Date.now() - 3_600_000);
    const late = await newDevice(t, old);
    const expired = await handshake(late.hooks, founderHooks);
    expect(refusedBecause(expired.answerer)).toBe('device-link-expired');
    expect(expired.dialer).toEqual({
      ok: false,
      error: { reason: 'device-link-expired', byPeer: true },
    });

    const link = await deviceLink(t);
    const phone = await newDevice(t, link);
    await sync(phone.cdoc.doc, t.doc, t.founded.community);
    const tablet = await newDevice(t, link);
    const used = await handshake(tablet.hooks, founderHooks);
    expect(refusedBecause(used.answerer)).toBe('device-link-used');
  });

  it('refuses a revoked device, whatever credential it shows', async () => {
    const t = await foundTestCommunity();
    const founderHooks = admissionHooks(t.cdoc, t.founder);
    const phone = await newDevice(t, await deviceLink(t));
    await sync(phone.cdoc.doc, t.doc, t.founded.community);
    expect((await handshake(phone.hooks, founderHooks)).answerer.ok).toBe(true);
    await t.cdoc.append('device.revoke', { device: phone.identity.memberId });
    const refused = await handshake(phone.hooks, founderHooks);
    expect(refusedBecause(refused.answerer)).toBe('device-revoked');
    expect(refused.dialer).toEqual({
      ok: false,
      error: { reason: 'device-revoked', byPeer: true },
    });
  });

  it('refuses a device.add shown by another key than its author', async () => {
    const t = await foundTestCommunity();
    const phone = await newDevice(t, await deviceLink(t));
    const mallory = await generateIdentity();
    const malloryDoc = await CommunityDoc.open(new Y.Doc(), t.founded.community, mallory);
    const stolen = { ...admissionHooks(malloryDoc, mallory), hello: phone.hooks.hello };
    // Mallory presents the phone's hello (its key and device.add) but signs with her own key.
    const result = await handshake(stolen, admissionHooks(t.cdoc, t.founder));
    expect(refusedBecause(result.answerer)).toBe('bad-proof');
  });
});
