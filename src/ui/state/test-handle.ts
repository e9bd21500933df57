/** An in-memory CommunityHandle for rune-state specs (never shipped): change it, then notify. */
import { emptyState } from '../../community/reducer';
import type { CommunityState } from '../../community/state';
import type { CommunityId, MemberId } from '../../shared/ids';
import { ok } from '../../shared/result';
import type { CommunityHandle, SyncStatus } from '../api';

export class TestHandle implements CommunityHandle {
  readonly id = 'community' as CommunityId;
  readonly me = 'me' as MemberId;
  thisDevice = 'me' as MemberId;
  current = emptyState();
  sync: SyncStatus = {
    online: true,
    relays: [],
    peers: 0,
    syncedPeers: 0,
    waitingForCommunity: false,
  };
  readonly stateListeners = new Set<() => void>();
  readonly statusListeners = new Set<() => void>();
  closed = false;

  state = () => this.current;
  status = () => this.sync;
  inviteLink = () => null;
  createInvite = () => Promise.resolve(ok('https://moot.test/#/join/x'));
  revokeInvite = () => Promise.resolve(ok(undefined));
  inviteLinkFor = () => null;
  joinRefusal = () => null;
  banHint = () => null;
  onlineMembers = () => [];
  onlineKeys = (): MemberId[] => [];
  presenceSeen = () => new Map<MemberId, number>();
  createDeviceLink = () => Promise.resolve(ok('https://moot.test/#/join/d'));
  revokeDevice = () => Promise.resolve(ok(undefined));
  post = () => Promise.resolve(ok(undefined));
  setProfile = () => Promise.resolve(ok(undefined));
  createPost = () => Promise.resolve(ok(undefined));
  editPost = () => Promise.resolve(ok(undefined));
  propose = () => Promise.resolve(ok(undefined));
  vote = () => Promise.resolve(ok(undefined));
  hidePost = () => Promise.resolve(ok(undefined));
  unhidePost = () => Promise.resolve(ok(undefined));
  deletePost = () => Promise.resolve(ok(undefined));
  react = () => Promise.resolve(ok(undefined));
  close = () => void (this.closed = true);

  subscribe(listener: () => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  subscribeStatus(listener: () => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  change(next: Partial<CommunityState>): void {
    this.current = { ...this.current, ...next };
    for (const listener of this.stateListeners) listener();
  }

  changeStatus(next: Partial<SyncStatus>): void {
    this.sync = { ...this.sync, ...next };
    for (const listener of this.statusListeners) listener();
  }
}
