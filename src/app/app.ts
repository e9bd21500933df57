/**
 * The AppApi the UI talks to: creating, joining and opening communities. Open sessions are
 * shared, so a join flows straight into the community page without reopening the doc.
 */
import * as Y from 'yjs';
import { CommunityDoc } from '../community/community-doc';
import { encodeInviteLink, parseInviteLink } from '../community/invite-link';
import { LIMITS } from '../community/limits';
import { isInviteLive } from '../community/invites/invite-status';
import { foundCommunity, writeJoin } from '../community/membership';
import type { CommunityId } from '../shared/ids';
import { err, ok } from '../shared/result';
import { loadOrCreateIdentity } from '../store/identity-store';
import { getJoined, listJoined, saveJoined, type JoinedCommunity } from '../store/registry-store';
import {
  prefetchDocRows,
  releaseDocRows,
  storedDocSize,
  type StoredRows,
  type StoredSize,
} from '../store/doc-store';
import type { AppApi, CommunityHandle } from '../ui/api';
import { timeBareDocLoad } from './bench-hooks';
import { discussionActions } from './discussions';
import { describeError, write } from './errors';
import { governanceActions } from './governance';
import { backupIdentityFile, restoreIdentityFile } from './identity-backup';
import { importCommunity } from './import-community';
import { membershipActions } from './membership/actions';
import { deviceActions, linkThisBrowser } from './membership/devices';
import { memberOf } from '../community/devices/resolve';
import { Session, type SessionConfig } from './session';

export interface AppConfig extends SessionConfig {
  /** Relays a new community starts with: by default the one that served this page. */
  defaultRelays: string[];
  origin: string;
}

/**
 * Hooks for e2e tests that play a malicious peer over a real connection; main.ts puts them on
 * `window.mootDebug`. They give a page nothing its own devtools would not.
 */
export interface DebugApi {
  encodeState(id: CommunityId): Promise<Uint8Array>;
  broadcastRawUpdate(id: CommunityId, update: Uint8Array): Promise<void>;
  /** Writes `count` real signed posts in one transaction, to grow a large doc quickly. */
  seedPosts(id: CommunityId, count: number, textLength: number): Promise<void>;
  /** The discussions benchmark's baseline: stored rows → bare Y.Doc (bench-hooks.ts). */
  timeBareDocLoad(id: CommunityId): Promise<{ ms: number; events: number }>;
  /** Rows and bytes of the community's doc in IndexedDB (docs/offline.md). */
  storedSize(id: CommunityId): Promise<StoredSize>;
  /** Resolves when everything the open doc holds is written to IndexedDB. */
  flushStore(id: CommunityId): Promise<void>;
}

export function createApp(config: AppConfig): AppApi & { debug: DebugApi } {
  const sessions = new Map<CommunityId, Promise<Session>>();

  function openSession(
    entry: JoinedCommunity,
    existing?: CommunityDoc,
    stored?: Promise<StoredRows | null>,
  ): Promise<Session> {
    let session = sessions.get(entry.id);
    if (!session) {
      session = loadOrCreateIdentity().then((identity) =>
        Session.open(entry, identity, config, existing, stored),
      );
      sessions.set(entry.id, session);
      session.catch(() => sessions.delete(entry.id));
    } else releaseDocRows(stored);
    return session;
  }

  function handleFor(session: Session): CommunityHandle {
    const { cdoc, entry } = session;
    return {
      id: entry.id,
      // On a linked device we act for its member (docs/membership.md, "Devices").
      get me() {
        return memberOf(cdoc.state(), cdoc.me);
      },
      thisDevice: cdoc.me,
      state: () => cdoc.state(),
      subscribe: (listener) => cdoc.subscribe(listener),
      status: () => session.status(),
      subscribeStatus: (listener) => session.subscribeStatus(listener),
      files: session.files,
      offline: session.offline.handle(() => {
        sessions.delete(entry.id);
        return session.close();
      }),
      post: (text) =>
        write(() => cdoc.append('post.create', { text: text.trim() }), postError(text)),
      ...discussionActions(cdoc),
      ...governanceActions(cdoc),
      setProfile: (name, bio = '') =>
        write(() => cdoc.append('profile.set', { name: name.trim(), bio }), nameError(name)),
      ...membershipActions(cdoc, entry, session.membership, config.origin),
      ...deviceActions(cdoc, entry, session.membership, config.origin, () =>
        session.presence.onlineKeys(),
      ),
      presenceSeen: () => session.presence.lastSeen(),
      // The panel's link, only while its invite can still admit someone.
      inviteLink: () =>
        entry.invite && isInviteLive(cdoc.state(), entry.invite.event, Date.now())
          ? encodeInviteLink(config.origin, {
              community: entry.id,
              secret: entry.secret,
              inviteSeed: entry.invite.seed,
              inviteEvent: entry.invite.event,
              relays: entry.relays,
            })
          : null,
      close: () => {
        sessions.delete(entry.id);
        void session.close();
      },
    };
  }

  const openedSession = async (id: CommunityId) => {
    const session = await sessions.get(id);
    if (!session) throw new Error('community is not open');
    return session;
  };

  return {
    debug: {
      encodeState: async (id) => {
        const session = await openedSession(id);
        await session.loaded;
        return Y.encodeStateAsUpdate(session.cdoc.doc);
      },
      broadcastRawUpdate: async (id, update) =>
        (await openedSession(id)).debugMesh.debugBroadcastRawUpdate?.(update),
      seedPosts: async (id, count, textLength) => {
        const { cdoc } = await openedSession(id);
        const bodies = Array.from({ length: count }, (_, i) => ({
          text: `Post ${i} `.padEnd(textLength, 'x'),
        }));
        await cdoc.appendMany('post.create', bodies);
      },
      timeBareDocLoad,
      storedSize: (id) => storedDocSize(id),
      flushStore: async (id) => (await openedSession(id)).flushStore(),
    },

    listCommunities: async () =>
      (await listJoined())
        .map(({ id, name, joinedAt }) => ({ id, name, joinedAt }))
        .sort((a, b) => b.joinedAt - a.joinedAt),

    async createCommunity(input) {
      const problem =
        lengthError(input.name.trim(), 'The community name', LIMITS.communityName) ??
        nameError(input.displayName);
      if (problem) return err(problem);
      try {
        const identity = await loadOrCreateIdentity();
        const { founded, cdoc } = await foundCommunity(
          identity,
          { ...input, name: input.name.trim(), displayName: input.displayName.trim() },
          new Y.Doc(),
        );
        const entry: JoinedCommunity = {
          id: founded.community,
          name: input.name.trim(),
          secret: founded.secret,
          relays: config.defaultRelays,
          joinedAt: Date.now(),
          invite: { seed: founded.inviteSeed, event: founded.inviteEvent },
        };
        await saveJoined(entry);
        await openSession(entry, cdoc);
        return ok(entry.id);
      } catch (e) {
        return err(describeError(e, 'create the community'));
      }
    },

    async previewInvite(link) {
      const parsed = parseInviteLink(link);
      if (!parsed.ok) return parsed;
      const joined = await getJoined(parsed.value.community);
      return ok({
        community: parsed.value.community,
        alreadyJoined: joined !== undefined,
        device: parsed.value.device === true,
      });
    },

    async joinCommunity(link, displayName) {
      const parsed = parseInviteLink(link);
      if (!parsed.ok) return parsed;
      const problem = parsed.value.device ? NOT_AN_INVITE : nameError(displayName);
      if (problem) return err(problem);
      const invite = parsed.value;
      try {
        const existing = await getJoined(invite.community);
        const entry: JoinedCommunity = existing ?? {
          id: invite.community,
          name: '',
          secret: invite.secret,
          relays: invite.relays,
          joinedAt: Date.now(),
          invite: { seed: invite.inviteSeed, event: invite.inviteEvent },
        };
        await saveJoined(entry);
        const session = await openSession(entry);
        const { cdoc } = session;
        if (!cdoc.state().members.has(memberOf(cdoc.state(), cdoc.me))) {
          // A refused joiner may come back with a new link: that one is the invite from now on.
          const joined = session.entry;
          joined.invite = { seed: invite.inviteSeed, event: invite.inviteEvent };
          joined.pendingName = displayName.trim();
          await saveJoined(joined);
          await writeJoin(session.cdoc, joined.invite);
        }
        return ok(entry.id);
      } catch (e) {
        return err(describeError(e, 'join the community'));
      }
    },

    async linkDevice(link) {
      const parsed = parseInviteLink(link);
      if (!parsed.ok) return parsed;
      if (!parsed.value.device) return err('This is an invite link, not a device link.');
      const { community } = parsed.value;
      try {
        const existing = await getJoined(community);
        const entry: JoinedCommunity = existing ?? {
          id: community,
          name: '',
          secret: parsed.value.secret,
          relays: parsed.value.relays,
          joinedAt: Date.now(),
          invite: null,
        };
        if (!existing) await saveJoined(entry);
        const { cdoc } = await openSession(entry);
        const mine = [...cdoc.events.values()].some(
          ({ event }) => event.author === cdoc.me && event.kind !== 'device.add',
        );
        // This browser's key already speaks for itself here: it cannot be someone's device too.
        if (mine) return err(ALREADY_HERE);
        await linkThisBrowser(cdoc, parsed.value);
        return ok(community);
      } catch (e) {
        return err(describeError(e, 'link this browser'));
      }
    },

    importCommunity: (file, passphrase = '') => importCommunity(file, passphrase, sessions),
    identity: {
      backup: backupIdentityFile,
      restore: (file, passphrase) => restoreIdentityFile(file, passphrase, sessions),
    },

    async openCommunity(id) {
      // A cold open reads the doc, the registry and the identity at once, not one by one.
      const stored = sessions.has(id) ? undefined : prefetchDocRows(id);
      void loadOrCreateIdentity().catch(() => undefined);
      const entry = await getJoined(id).catch((e: unknown) => {
        releaseDocRows(stored);
        throw e;
      });
      if (!entry) {
        releaseDocRows(stored);
        return err(
          'You have not joined this community on this browser. Open its invite link to join.',
        );
      }
      try {
        return ok(handleFor(await openSession(entry, undefined, stored)));
      } catch (e) {
        return err(describeError(e, 'open the community'));
      }
    },
  };
}

const NOT_AN_INVITE = 'This is a device link: it links a browser to a member, it does not invite.';
const ALREADY_HERE =
  'This browser is already in this community as a member of its own, so it cannot become another member’s device.';

function lengthError(text: string, what: string, max: number): string | null {
  if (text.length === 0) return `${what} is empty.`;
  if ([...text].length > max) return `${what} is longer than ${max} characters.`;
  return null;
}

const postError = (text: string) => lengthError(text.trim(), 'The post', LIMITS.postText);
const nameError = (name: string) =>
  lengthError(name.trim(), 'Your display name', LIMITS.displayName);
