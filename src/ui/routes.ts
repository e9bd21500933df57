/** The app's hash routes: parsing, building, and recognising pasted invite links. Pure. */
import type { CommunityId, EventId } from '../shared/ids';

export type Route =
  | { kind: 'home' }
  | { kind: 'join'; payload: string }
  | { kind: 'community'; id: CommunityId; section: Section; thread?: EventId; log?: EventId }
  | { kind: 'notFound'; hash: string };

const PAYLOAD = /^[A-Za-z0-9_-]+$/;

/**
 * The pages inside a community. Each has its own component under ui/community/sections;
 * SectionNav lists them. Add a section here, there, and in CommunityPage's switch.
 */
export const SECTIONS = ['feed', 'files', 'people', 'invites', 'governance', 'settings'] as const;
export type Section = (typeof SECTIONS)[number];

export const SECTION_LABELS: Record<Section, string> = {
  feed: 'Feed',
  files: 'Files',
  people: 'People',
  invites: 'Invites',
  governance: 'Governance',
  settings: 'Settings',
};

const isSection = (s: string): s is Section => (SECTIONS as readonly string[]).includes(s);

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '');
  if (path === '' || path === '/') return { kind: 'home' };
  const join = /^\/join\/(.+)$/.exec(path);
  if (join?.[1] && PAYLOAD.test(join[1])) return { kind: 'join', payload: join[1] };
  // A thread page (discussions): #/c/<id>/t/<thread event id>, inside the feed section.
  const thread = /^\/c\/([^/]+)\/t\/([A-Za-z0-9_-]{43})$/.exec(path);
  if (thread?.[1] && thread[2]) {
    try {
      const id = decodeURIComponent(thread[1]) as CommunityId;
      return { kind: 'community', id, section: 'feed', thread: thread[2] as EventId };
    } catch {
      // A malformed %-escape is not a community id.
    }
  }
  // A moderation-log entry (governance): #/c/<id>/governance/log/<entry's event id>.
  const log = /^\/c\/([^/]+)\/governance\/log\/([A-Za-z0-9_-]{43})$/.exec(path);
  if (log?.[1] && log[2]) {
    try {
      const id = decodeURIComponent(log[1]) as CommunityId;
      return { kind: 'community', id, section: 'governance', log: log[2] as EventId };
    } catch {
      // A malformed %-escape is not a community id.
    }
  }
  const community = /^\/c\/([^/]+)(?:\/([a-z]+))?\/?$/.exec(path);
  const section = community?.[2] ?? 'feed';
  if (community?.[1] && isSection(section)) {
    try {
      return { kind: 'community', id: decodeURIComponent(community[1]) as CommunityId, section };
    } catch {
      // A malformed %-escape is not a community id.
    }
  }
  return { kind: 'notFound', hash };
}

export const homeHash = '#/';

export function communityHash(id: CommunityId, section: Section = 'feed'): string {
  const base = `#/c/${encodeURIComponent(id)}`;
  return section === 'feed' ? base : `${base}/${section}`;
}

export const threadHash = (id: CommunityId, thread: EventId): string =>
  `#/c/${encodeURIComponent(id)}/t/${thread}`;

export const logEntryHash = (id: CommunityId, entry: EventId): string =>
  `#/c/${encodeURIComponent(id)}/governance/log/${entry}`;

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
