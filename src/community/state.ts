/** The community state the reducer derives from the event DAG. Plain data, no methods. */
import type { CommunityId, EventId, MemberId } from '../shared/ids';
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

/** Governance fields (policy, proposals, bans, hidden posts, moderation log): governance/state.ts. */
export interface CommunityState extends GovernanceState {
  /** null until the genesis event (community.create) has arrived. */
  meta: CommunityMeta | null;
  rules: string;
  members: Map<MemberId, Member>;
  moderators: Set<MemberId>;
  profiles: Map<MemberId, Profile>;
  invites: Map<EventId, Invite>;
  /** Newest first. */
  posts: Post[];
}
