/**
 * What the UI may ask of the app. main.ts supplies the real implementation; components reach it
 * through the state classes in ./state and never touch Yjs, IndexedDB or WebRTC themselves.
 */
import type { CommunityState } from '../community/state';
import type { CommunityId, MemberId } from '../shared/ids';
import type { Result } from '../shared/result';

export interface CommunitySummary {
  id: CommunityId;
  name: string;
  joinedAt: number;
}

export interface CreateCommunityInput {
  name: string;
  description: string;
  rules: string;
  displayName: string;
}

/** What a link tells us before joining (nothing here is trusted until peers confirm it). */
export interface InvitePreview {
  community: CommunityId;
  alreadyJoined: boolean;
}

export interface SyncStatus {
  /** navigator.onLine */
  online: boolean;
  relays: { url: string; connected: boolean }[];
  /** Peers with an open channel. */
  peers: number;
  /** Peers whose first sync exchange has completed. */
  syncedPeers: number;
  /** True until the genesis event has arrived (a joiner who has not yet reached any member). */
  waitingForCommunity: boolean;
}

export interface CommunityHandle {
  readonly id: CommunityId;
  readonly me: MemberId;
  state(): CommunityState;
  /** Called after every state change; returns an unsubscribe function. */
  subscribe(listener: () => void): () => void;
  status(): SyncStatus;
  subscribeStatus(listener: () => void): () => void;
  post(text: string): Promise<Result<void>>;
  setProfile(name: string, bio?: string): Promise<Result<void>>;
  /** The invite link created with the community, when this browser holds its seed. */
  inviteLink(): string | null;
  close(): void;
}

export interface AppApi {
  listCommunities(): Promise<CommunitySummary[]>;
  createCommunity(input: CreateCommunityInput): Promise<Result<CommunityId>>;
  previewInvite(link: string): Promise<Result<InvitePreview>>;
  joinCommunity(link: string, displayName: string): Promise<Result<CommunityId>>;
  openCommunity(id: CommunityId): Promise<Result<CommunityHandle>>;
}
