/** The app's hash routes: parsing, building, and recognising pasted invite links. Pure. */
import type { CommunityId } from '../shared/ids';

export type Route =
  | { kind: 'home' }
  | { kind: 'join'; payload: string }
  | { kind: 'community'; id: CommunityId }
  | { kind: 'notFound'; hash: string };

const PAYLOAD = /^[A-Za-z0-9_-]+$/;

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '');
  if (path === '' || path === '/') return { kind: 'home' };
  const join = /^\/join\/(.+)$/.exec(path);
  if (join?.[1] && PAYLOAD.test(join[1])) return { kind: 'join', payload: join[1] };
  const community = /^\/c\/([^/]+)\/?$/.exec(path);
  if (community?.[1]) {
    try {
      return { kind: 'community', id: decodeURIComponent(community[1]) as CommunityId };
    } catch {
      // A malformed %-escape is not a community id.
    }
  }
  return { kind: 'notFound', hash };
}

export const homeHash = '#/';

export function communityHash(id: CommunityId): string {
  return `#/c/${encodeURIComponent(id)}`;
}

/**
 * The `#/join/<payload>` fragment of a pasted invite link, whether the person pasted the whole
 * URL (from any Moot host) or just the fragment; null when it is not a Moot invite link.
 */
export function inviteFragment(input: string): string | null {
  const text = input.trim();
  const at = text.indexOf('#/join/');
  const rest = at >= 0 ? text.slice(at + '#/join/'.length) : null;
  if (rest === null || !PAYLOAD.test(rest)) return null;
  return `#/join/${rest}`;
}
