/**
 * What the UI may ask of the app. main.ts supplies the real implementation; components reach it
 * through the state classes in ./state and never touch Yjs, IndexedDB or WebRTC themselves.
 */
import type { JoinRefusal } from '../community/invites/invite-status';
import type { BanHint } from '../community/governance/ban-refusal';
import type { CommunityState, Invite } from '../community/state';
import type { Reaction } from '../community/discussions/bodies';
import type { ProposalChange, VoteChoice } from '../community/governance/bodies';
import type { CommunityId, EventId, MemberId } from '../shared/ids';
import type { Result } from '../shared/result';
import type { FilesHandle } from '../files/files-api';
import type { IdentityApi } from './identity-api';
import type { OfflineHandle } from './offline-api';

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
  /** A one-time device link: opening it links this browser to a member (AppApi.linkDevice). */
  device: boolean;
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
  /** Peers whose state vector equals ours (docs/offline.md); absent in test handles. */
  upToDatePeers?: number;
  /** While a peer holds more than we do: events received since catching up began, of how many. */
  progress?: { done: number; total: number } | null;
  /**
   * A peer met this session speaks another protocol version, so the two cannot sync: `newer`
   * (this page should reload to update) wins over `older` (they must update). Absent: none.
   */
  otherVersion?: 'newer' | 'older';
}

export interface CommunityHandle {
  readonly id: CommunityId;
  /** The member this browser acts as: on a linked device, the member it is linked to. */
  readonly me: MemberId;
  /** The key this browser signs with: `me`, or on a linked device the device's own key. */
  readonly thisDevice: MemberId;
  state(): CommunityState;
  /** Called after every state change; returns an unsubscribe function. */
  subscribe(listener: () => void): () => void;
  status(): SyncStatus;
  subscribeStatus(listener: () => void): () => void;
  /** Offline-first care: unseen events, saving, storage, export, leave (docs/offline.md). */
  readonly offline?: OfflineHandle;
  post(text: string): Promise<Result<void>>;
  /** Discussions (docs/discussions.md): a thread, or with `parent` a reply. */
  createPost(input: NewPost): Promise<Result<void>>;
  /** Only the author's own posts; others' are refused by every peer's reducer. */
  editPost(post: EventId, text: string, title?: string): Promise<Result<void>>;
  deletePost(post: EventId): Promise<Result<void>>;
  react(post: EventId, emoji: Reaction, on: boolean): Promise<Result<void>>;
  setProfile(name: string, bio?: string): Promise<Result<void>>;
  /** The invite link created with the community, when this browser holds its seed. */
  inviteLink(): string | null;
  /** Invites (docs/membership.md), for whoever canInvite allows. Resolves to the new link. */
  createInvite(input: NewInvite): Promise<Result<string>>;
  revokeInvite(invite: Invite['id'] | 'all'): Promise<Result<void>>;
  /** The link of an invite whose seed this browser holds (it created it), or null. */
  inviteLinkFor(invite: Invite['id']): string | null;
  /** Why this browser's join does not count (expired, revoked, used up…), or null. */
  joinRefusal(): JoinRefusal | null;
  /** A peer refused us as banned while our own state shows no ban: its (unsigned) word. */
  banHint(): BanHint | null;
  /** Members online now, by onlineKeys (never awareness). */
  onlineMembers(): MemberId[];
  /**
   * The keys (members' own and devices') online now: connected to us and proven at admission,
   * or beyond our links with a live signed presence record (docs/membership.md, "Presence").
   */
  onlineKeys(): MemberId[];
  /** The latest time each member's signed presence was seen, live or expired ("last seen"). */
  presenceSeen(): Map<MemberId, number>;
  /**
   * Devices (docs/membership.md): a one-time link that makes another browser one of our
   * devices. Only from the member's own browser, not from a linked device.
   */
  createDeviceLink(label: string): Promise<Result<string>>;
  /** Revokes one of our devices; its events from now on (and concurrent ones) are ignored. */
  revokeDevice(device: MemberId): Promise<Result<void>>;
  /** Governance (docs/governance.md): every peer's reducer decides whether these count. */
  propose(change: ProposalChange, reason: string): Promise<Result<void>>;
  vote(proposal: EventId, choice: VoteChoice): Promise<Result<void>>;
  hidePost(post: EventId, reason: string): Promise<Result<void>>;
  unhidePost(post: EventId, reason: string): Promise<Result<void>>;
  /** Shared files (docs/files.md); absent in UI test doubles. */
  readonly files?: FilesHandle;
  close(): void;
}

export interface NewPost {
  text: string;
  /** For a thread's first post. */
  title?: string;
  /** The post replied to. */
  parent?: EventId;
  /** Members picked with @ in the composer. */
  mentions?: MemberId[];
  /** Shared files (their manifest ids) the post carries. */
  attachments?: EventId[];
}

export interface NewInvite {
  label: string;
  /** From now; null for never. */
  expiresInMs: number | null;
  /** null for unlimited. */
  maxUses: number | null;
}

export interface AppApi {
  listCommunities(): Promise<CommunitySummary[]>;
  createCommunity(input: CreateCommunityInput): Promise<Result<CommunityId>>;
  previewInvite(link: string): Promise<Result<InvitePreview>>;
  joinCommunity(link: string, displayName: string): Promise<Result<CommunityId>>;
  /** Opens a device link: this browser, with its own key, becomes a device of that member. */
  linkDevice(link: string): Promise<Result<CommunityId>>;
  openCommunity(id: CommunityId): Promise<Result<CommunityHandle>>;
  /**
   * Adds a community from an export file after verifying every event; nothing on failure.
   * `passphrase` opens the identity backup the file may include (docs/identity-backup.md).
   */
  importCommunity(file: Uint8Array, passphrase?: string): Promise<Result<CommunityId>>;
  /** Back up and restore this profile's identity. */
  readonly identity: IdentityApi;
}
