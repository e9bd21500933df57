/**
 * Who is let in at the admission handshake (THREATS 23–25): judged on our state and our clock.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CommunityDoc } from '../community-doc';
import { generateIdentity } from '../identity';
import { writeJoin } from '../membership';
import { foundTestCommunity, joinTestCommunity } from '../test-helpers';
import { decodeCredential, encodeCredential } from './credential';
import { judgePeer, noLongerWelcome } from './standing';

describe('judgePeer', () => {
  it('refuses a banned member, whatever join and admission they show (THREATS 25)', async () => {
    const t = await foundTestCommunity();
    const bob = await joinTestCommunity(t, 'Bob');
    const me = bob.identity.memberId;
    const state = t.cdoc.state();
    expect(judgePeer(state, me, null, Date.now())).toEqual({ ok: true, value: 'member' });
    const join = [...bob.cdoc.events.values()].find((e) => e.event.kind === 'member.join')!;
    const admit = [...t.cdoc.events.values()].find((e) => e.event.kind === 'member.admit')!;
    const credential = await decodeCredential(
      encodeCredential(join, admit),
      me,
      t.founded.community,
    );
    expect(credential.ok).toBe(true);
    state.bans.set(me, { member: me, proposal: join.id, reason: 'spam', at: Date.now() });
    expect(judgePeer(state, me, credential.ok ? credential.value : null, Date.now())).toEqual({
      ok: false,
      error: 'banned',
    });
  });

  it('lets in a newcomer through a live invite, and bootstraps when we hold nothing yet', async () => {
    const t = await foundTestCommunity();
    const cleo = await generateIdentity();
    const cdoc = await CommunityDoc.open(new Y.Doc(), t.founded.community, cleo);
    const join = await writeJoin(cdoc, {
      seed: t.founded.inviteSeed,
      event: t.founded.inviteEvent,
    });
    const credential = await decodeCredential(
      encodeCredential(join, null),
      cleo.memberId,
      t.founded.community,
    );
    if (!credential.ok) throw new Error(credential.error);
    expect(judgePeer(t.cdoc.state(), cleo.memberId, credential.value, Date.now())).toEqual({
      ok: true,
      value: 'joining',
    });
    expect(judgePeer(cdoc.state(), t.founder.memberId, null, Date.now())).toEqual({
      ok: true,
      value: 'bootstrap',
    });
    // Someone else's join is not a credential for Cleo.
    const lifted = await decodeCredential(
      encodeCredential(join, null),
      t.founder.memberId,
      t.founded.community,
    );
    expect(lifted.ok).toBe(false);
  });
});

describe('noLongerWelcome', () => {
  it('names connected members who were banned or whose join was refused, not newcomers waiting', async () => {
    const t = await foundTestCommunity();
    const bob = await joinTestCommunity(t, 'Bob');
    const state = t.cdoc.state();
    const waiting = (await generateIdentity()).memberId;
    const refused = (await generateIdentity()).memberId;
    state.joinRequests.set(refused, {
      member: refused,
      join: 'x' as never,
      invite: t.founded.inviteEvent,
      status: 'refused',
      refusal: 'invite-revoked',
      admittedBy: null,
      held: [],
    });
    const connected = [bob.identity.memberId, waiting, refused];
    expect(noLongerWelcome(state, connected)).toEqual([refused]);
    state.bans.set(bob.identity.memberId, {
      member: bob.identity.memberId,
      proposal: 'p' as never,
      reason: '',
      at: 0,
    });
    expect(noLongerWelcome(state, connected)).toEqual([bob.identity.memberId, refused]);
  });
});
