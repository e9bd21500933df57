/**
 * A member who was offline when their ban passed, at the admission handshake with the real
 * community hooks: they are refused as `banned`, told the ban's reason and decision, and get
 * nothing else (no welcome, so the mesh starts no sync or awareness). Their devices get the same.
 */
import { describe, expect, it } from 'vitest';
import { banDetail, parseBanDetail } from '../../community/governance/ban-refusal';
import { writeDeviceLink } from '../../community/devices/link';
import { generateIdentity } from '../../community/identity';
import { CommunityDoc } from '../../community/community-doc';
import {
  foundTestCommunity,
  joinTestCommunity,
  sync,
  type TestCommunity,
  type TestJoiner,
} from '../../community/test-helpers';
import { randomBytes } from '../../shared/bytes';
import type { EventId, MemberId } from '../../shared/ids';
import { admissionHooks } from './admission-hooks';
import { linkThisBrowser } from './devices';
import { handshake, refusedBecause } from './test-handshake';
import * as Y from 'yjs';

const REASON = 'Posted spam in every thread after two warnings.';

/** The founder (sole moderator, so the whole electorate) bans `member`; they see none of it. */
async function ban(t: TestCommunity, member: MemberId): Promise<EventId> {
  const proposal = await t.cdoc.append('proposal.create', {
    change: { type: 'member.ban', member },
    reason: REASON,
  });
  await t.cdoc.append('vote.cast', { proposal: proposal.id, choice: 'yes' }, [proposal.id]);
  expect(t.cdoc.state().bans.get(member)?.reason).toBe(REASON);
  return proposal.id;
}

/** A new browser `member` links as a device: its add is written, the link synced to `t`. */
async function linkDevice(t: TestCommunity, member: TestJoiner) {
  const seed = randomBytes(32);
  const link = await writeDeviceLink(member.cdoc, seed, 'Phone', Date.now());
  await sync(member.doc, t.doc, t.founded.community);
  const identity = await generateIdentity();
  const cdoc = await CommunityDoc.open(new Y.Doc(), t.founded.community, identity);
  await sync(member.doc, cdoc.doc, t.founded.community);
  await linkThisBrowser(cdoc, {
    community: t.founded.community,
    secret: t.founded.secret,
    inviteSeed: seed,
    inviteEvent: link.id,
    relays: [],
    device: true,
  });
  return { identity, cdoc };
}

/** What the refusing side sent, by message type: a refused peer must get only these. */
function typesSentBy(sent: { from: string; payload: Uint8Array }[], side: string): string[] {
  return sent
    .filter((m) => m.from === side)
    .map((m) => (JSON.parse(new TextDecoder().decode(m.payload)) as { t: string }).t);
}

describe('a banned member at the admission handshake', () => {
  it('is refused as banned, told the reason and the decision, and sent nothing else', async () => {
    const t = await foundTestCommunity();
    const bob = await joinTestCommunity(t, 'Bob');
    const proposal = await ban(t, bob.identity.memberId);
    // Bob was offline: his own state still has him as a member in good standing.
    expect(bob.cdoc.state().bans.size).toBe(0);

    const result = await handshake(
      admissionHooks(bob.cdoc, bob.identity),
      admissionHooks(t.cdoc, t.founder),
    );
    expect(refusedBecause(result.answerer)).toBe('banned');
    expect(result.dialer.ok).toBe(false);
    const refusal = result.dialer.ok ? null : result.dialer.error;
    expect(refusal).toMatchObject({ reason: 'banned', byPeer: true });
    expect(parseBanDetail(refusal?.detail)).toEqual({ reason: REASON, proposal });
    expect(typesSentBy(result.sent, 'answerer')).toEqual(['hello', 'proof', 'refused']);
    // The founder's side ends refused too: its mesh adds no sync or awareness for Bob.
    expect(result.answerer.ok).toBe(false);
  });

  it('refuses the banned member’s devices the same way, known or new', async () => {
    const t = await foundTestCommunity();
    const bob = await joinTestCommunity(t, 'Bob');
    const phone = await linkDevice(t, bob);
    await sync(phone.cdoc.doc, t.doc, t.founded.community);
    expect(t.cdoc.state().devices.get(phone.identity.memberId)?.member).toBe(bob.identity.memberId);
    // A tablet whose device.add the founder has not seen: judged by the link it names.
    const tablet = await linkDevice(t, bob);
    const proposal = await ban(t, bob.identity.memberId);

    for (const device of [phone, tablet]) {
      const result = await handshake(
        admissionHooks(device.cdoc, device.identity),
        admissionHooks(t.cdoc, t.founder),
      );
      expect(refusedBecause(result.answerer)).toBe('banned');
      const detail = result.dialer.ok ? undefined : result.dialer.error.detail;
      expect(parseBanDetail(detail)).toEqual({ reason: REASON, proposal });
      expect(typesSentBy(result.sent, 'answerer')).toEqual(['hello', 'proof', 'refused']);
    }
  });
});

describe('the ban hint a refused browser reads', () => {
  const proposal = 'A'.repeat(43) as EventId;

  it('round-trips the ban’s reason and decision', () => {
    const detail = banDetail({ member: proposal as never, proposal, reason: 'x "y"', at: 1 });
    expect(parseBanDetail(detail)).toEqual({ reason: 'x "y"', proposal });
  });

  it.each([
    ['nothing', undefined],
    ['not JSON', '{reason'],
    ['not an object', '"spam"'],
    ['a reason that is not text', JSON.stringify({ reason: 1, proposal })],
    [
      'a reason longer than any proposal’s',
      JSON.stringify({ reason: 'r'.repeat(1_001), proposal }),
    ],
    ['a malformed decision id', JSON.stringify({ reason: 'spam', proposal: 'nope' })],
  ])('ignores a peer’s detail with %s', (_what, detail) => {
    expect(parseBanDetail(detail)).toBeNull();
  });
});
