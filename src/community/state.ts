/** The community state the reducer derives from the event DAG. Plain data, no methods. */
import type { CommunityId, EventId, MemberId } from '../shared/ids';
import type { SharedFile } from './files/manifest';
import type { DevicesState } from './devices/state';
import type { JoinRequest } from './invites/state';
import type { GovernanceState } from './governance/state';

export interface CommunityMeta {
  id: CommunityId;
  name: string;
  description: string;
  founder: MemberId;
  createdAt: number;
}

export interface Member {
  id: MemberId;
  joinedAt: number;
  /** Id of the invite event the member joined through; null for the founder. */
  invite: EventId | null;
}

export interface Profile {
  name: string;
  bio: string;
  updatedAt: number;
}

export interface Post {
  id: EventId;
  author: MemberId;
  /** The current text: the latest edit's; empty once deleted. */
  text: string;
  at: number;
  /** Only a thread's first post has a title. */
  title: string | null;
  /** The post this one replies to; null for a thread's first post. */
  parent: EventId | null;
  /** The thread's first post: its own id for a thread start. */
  thread: EventId;
  /** Earlier versions, oldest first; empty if never edited (and once deleted). */
  history: PostRevision[];
  /** When the latest edit was made, or null. */
  editedAt: number | null;
  deleted: boolean;
  /** Members the post names with @ (its body's `mentions`); empty once deleted. */
  mentions: MemberId[];
  /**
   * Ids the post names as attached files (its body's `attachments`); empty once deleted. Not
   * checked against `files`: an id that names no manifest is simply not shown.
   */
  attachments: EventId[];
}

export interface PostRevision {
  title: string | null;
  text: string;
  at: number;
}

export interface Invite {
  id: EventId;
  /** base64url raw Ed25519 public key of the invite key pair; the link holds its seed. */
  publicKey: string;
  label: string;
  createdBy: MemberId;
  createdAt: number;
  /** ms since epoch, or null for never. */
  expiresAt: number | null;
  /** null for unlimited. */
  maxUses: number | null;
  uses: number;
  revoked: boolean;
}

/**
 * Governance fields (policy, proposals, bans, hidden posts, moderation log): governance/state.ts.
 * Devices (links, device keys → members): devices/state.ts.
 */
export interface CommunityState extends GovernanceState, DevicesState {
  /** null until the genesis event (community.create) has arrived. */
  meta: CommunityMeta | null;
  rules: string;
  members: Map<MemberId, Member>;
  moderators: Set<MemberId>;
  profiles: Map<MemberId, Profile>;
  invites: Map<EventId, Invite>;
  /** One per joiner: waiting for a member to admit them, admitted, or refused and why. */
  joinRequests: Map<MemberId, JoinRequest>;
  /** Newest first. */
  posts: Post[];
  /** Shared files' manifests by event id (files/manifest.ts); the bytes live in the block store. */
  files: Map<EventId, SharedFile>;
  /** The same posts by id (discussions: replies, edits and reactions name their post). */
  postsById: Map<EventId, Post>;
  /** post → emoji → who reacted, in the order they did (discussions/bodies.ts REACTIONS). */
  reactions: Map<EventId, Map<string, Set<MemberId>>>;
}
