/**
 * A joiner may write (a post, a profile) before the admission of their join reaches them; those
 * events are concurrent with the admission and could sort before it. Rather than drop them, the
 * reducer holds a waiting joiner's events and applies them, in their order, right after the
 * member.admit that lets the joiner in. A refused joiner's held events are never applied.
 */
import type { EventId } from '../../shared/ids';
import type { EventKind } from '../bodies';
import type { AnyEvent, MootEvent } from '../event';
import type { CommunityState } from '../state';
import { requestForJoin } from './transforms';

type Apply<E, Extra> = (state: CommunityState, event: E, id: EventId, extra: Extra) => void;

/**
 * The reducer's transform table as one function that holds a waiting joiner's events; `extra`
 * (a reduction run) passes through unchanged. One function rather than a wrapped table, and one
 * argument rather than a rest list: this runs once per event, and each lookup of a kind in a
 * table and each rest list costs on every one of them.
 */
export function holdUntilAdmitted<Extra>(transforms: {
  [K in EventKind]: Apply<MootEvent<K>, Extra>;
}): Apply<AnyEvent, Extra> {
  const table = transforms as unknown as Record<EventKind, Apply<AnyEvent, Extra>>;
  const apply = (state: CommunityState, event: AnyEvent, id: EventId, extra: Extra): void => {
    const request =
      event.kind === 'member.join' || state.members.has(event.author)
        ? undefined
        : state.joinRequests.get(event.author);
    if (request) {
      request.held.push({ id, event });
      return;
    }
    table[event.kind](state, event, id, extra);
    if (event.kind !== 'member.admit') return;
    const admitted = requestForJoin(state, event.body.join);
    if (admitted?.status !== 'admitted') return;
    for (const held of admitted.held.splice(0)) apply(state, held.event, held.id, extra);
  };
  return apply;
}
