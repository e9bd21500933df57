/** The community state the reducer derives from the event DAG. Plain data, no methods. */
import type { CommunityId, EventId, MemberId } from '../shared/ids';
import type { JoinRequest } from './invites/state';
import type { SharedFile } from './files/manifest';

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

export interface CommunityState {
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
}
