/**
 * A small community to script governance tests against: a founder, members joined through an
 * invite, and events written with explicit deps so tests can build concurrent branches.
 * Imported only by tests.
 */
import type { CommunityId, EventId } from '../../shared/ids';
import type { Bodies, EventKind } from '../bodies';
import type { SignedEvent } from '../event';
import { reduce } from '../reducer';
import type { CommunityState } from '../state';
import {
  joinBody,
  makeEvent,
  makeGenesis,
  makeInviteKey,
  makeMember,
  type TestMember,
} from '../test-helpers';
import type { ProposalChange, VoteChoice } from './bodies';

export const T0 = 1_700_000_000_000;
export const HOUR = 3_600_000;

export class Scenario {
  readonly events: SignedEvent[] = [];
  private tick = 0;

  private constructor(
    readonly founder: TestMember,
    readonly community: CommunityId,
    readonly create: SignedEvent,
  ) {
    this.events.push(create);
  }

  static async found(): Promise<Scenario> {
    const founder = await makeMember();
    const { community, create } = await makeGenesis(founder, T0);
    return new Scenario(founder, community, create);
  }

  /** The id of the latest event written, for a linear history. */
  get last(): EventId {
    return this.events[this.events.length - 1]!.id;
  }

  /** Writes an event; by default it follows the latest one, one second later. */
  async write<K extends EventKind>(
    author: TestMember,
    kind: K,
    body: Bodies[K],
    opts: { deps?: EventId[]; at?: number } = {},
  ): Promise<SignedEvent> {
    this.tick++;
    const event = await makeEvent(author, this.community, kind, body, {
      deps: opts.deps ?? [this.last],
      at: opts.at ?? T0 + this.tick * 1000,
      clock: this.tick,
    });
    this.events.push(event);
    return event;
  }

  /** New members, joined through one invite the founder creates. */
  async members(count: number): Promise<TestMember[]> {
    const invite = await makeInviteKey();
    const inviteEvent = await this.write(this.founder, 'invite.create', invite.body);
    const joined: TestMember[] = [];
    for (let i = 0; i < count; i++) {
      const member = await makeMember();
      const join = await this.write(
        member,
        'member.join',
        await joinBody(invite.key, this.community, member, inviteEvent.id),
      );
      // A join counts once an existing member admits it (docs/membership.md).
      await this.write(this.founder, 'member.admit', { join: join.id });
      joined.push(member);
    }
    return joined;
  }

  /**
   * `count` posts by the founder, one after another. Events branching off before them are
   * then almost surely ordered (ties by id) before whatever follows, so tests reach the
   * "struck out after it was applied" path of run.ts, not only the "refused at its position" one.
   */
  async filler(count: number): Promise<void> {
    for (let i = 0; i < count; i++)
      await this.write(this.founder, 'post.create', { text: `filler ${i}` });
  }

  propose(
    author: TestMember,
    change: ProposalChange,
    opts: { deps?: EventId[]; at?: number } = {},
  ) {
    return this.write(
      author,
      'proposal.create',
      { change, reason: `because ${change.type}` },
      opts,
    );
  }

  vote(
    voter: TestMember,
    proposal: SignedEvent,
    choice: VoteChoice,
    opts: { deps?: EventId[]; at?: number } = {},
  ) {
    return this.write(voter, 'vote.cast', { proposal: proposal.id, choice }, opts);
  }

  state(events: readonly SignedEvent[] = this.events, now = T0 + 1000 * HOUR): CommunityState {
    return reduce(new Map(events.map((e) => [e.id, e])), now);
  }
}

export const idOf = (m: TestMember) => m.identity.memberId;
