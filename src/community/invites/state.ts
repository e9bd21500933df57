/** The admission part of the community state: one join request per joiner. Plain data. */
import type { EventId, MemberId } from '../../shared/ids';
import type { AnyEvent } from '../event';
import type { JoinRefusal } from './invite-status';

export interface JoinRequest {
  member: MemberId;
  /** The member.join event; a later join by the same key (a new link) replaces it. */
  join: EventId;
  invite: EventId;
  /** `waiting` until a member admits the join (member.admit), or why it cannot count. */
  status: 'waiting' | 'admitted' | 'refused';
  refusal: JoinRefusal | null;
  admittedBy: MemberId | null;
  /**
   * Events the joiner wrote before the admission reached them (a post sent at once): they are
   * concurrent with it, so they wait here and are applied the moment the join is admitted.
   */
  held: { id: EventId; event: AnyEvent }[];
}
