/**
 * A joiner may write (a post, a profile) before the admission of their join reaches them; those
 * events are concurrent with the admission and could sort before it. Rather than drop them, the
 * reducer holds a waiting joiner's events and applies them, in their order, right after the
 * member.admit that lets the joiner in. A refused joiner's held events are never applied.
 */
import type { EventId } from '../../shared/ids';
import type { AnyEvent } from '../event';
import type { CommunityState } from '../state';
import { requestForJoin } from './transforms';

type AnyTransform = (state: CommunityState, event: AnyEvent, id: EventId, extra: never) => void;

/**
 * Wraps the reducer's transform table; `extra` (a reduction run) passes through unchanged. One
 * argument rather than a rest list: this runs once per event, and a rest list is an array each time.
 */
export function holdUntilAdmitted<T extends object>(transforms: T): T {
  const table = transforms as unknown as Record<string, AnyTransform>;
  const apply = (state: CommunityState, event: AnyEvent, id: EventId, extra: never): void => {
    const request =
      event.kind === 'member.join' || state.members.has(event.author)
        ? undefined
        : state.joinRequests.get(event.author);
    if (request) {
      request.held.push({ id, event });
      return;
    }
    table[event.kind]!(state, event, id, extra);
    if (event.kind !== 'member.admit') return;
    const admitted = requestForJoin(state, event.body.join);
    if (admitted?.status !== 'admitted') return;
    for (const held of admitted.held.splice(0)) apply(state, held.event, held.id, extra);
  };
  const wrapped: Record<string, AnyTransform> = {};
  for (const kind of Object.keys(table)) wrapped[kind] = apply;
  return wrapped as unknown as T;
}
