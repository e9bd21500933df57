/**
 * The membership duties of one open community, on this browser:
 * - admit joins (member.admit) that reach us while their invite is live by our clock, from
 *   newcomers connected to us (we let them in at the admission handshake);
 * - once our own join is admitted, write the profile chosen when joining;
 * - keep the seeds of invites we created, to show their links again;
 * - remember why a peer refused us, to tell a joiner whose link no longer works, or a member
 *   who was offline when they were banned.
 */
import type { CommunityDoc } from '../../community/community-doc';
import { identityFromSeed } from '../../community/identity';
import {
  inviteProblem,
  isJoinRefusal,
  joinRefusalOf,
  type JoinRefusal,
} from '../../community/invites/invite-status';
import { writeAdmit } from '../../community/membership';
import { parseBanDetail, type BanHint } from '../../community/governance/ban-refusal';
import { memberOf } from '../../community/devices/resolve';
import { deviceRefusalOf } from '../../community/devices/standing';
import type { EventId, MemberId } from '../../shared/ids';
import { loadInviteSeeds } from '../../store/invite-seed-store';
import { saveJoined, type JoinedCommunity } from '../../store/registry-store';

/** Several members may see the same join; a short random wait lets one admission do. */
const ADMIT_JITTER_MS = 1_500;

export class MembershipKeeper {
  /** Invite seeds this browser holds, by the invite's public key. */
  readonly seeds = new Map<string, Uint8Array>();
  /** The latest refusal a peer sent us at the handshake (untrusted; only shown while not a member). */
  peerRefusal: JoinRefusal | null = null;
  /** A peer refused us as banned (untrusted; forgotten once a peer lets us in). */
  private peerBan: BanHint | null = null;
  private readonly admitting = new Set<EventId>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private writingProfile = false;
  private readonly unsubscribe: () => void;
  private closed = false;

  private constructor(
    private readonly cdoc: CommunityDoc,
    private readonly entry: JoinedCommunity,
    /** Members connected to us now, proven at the admission handshake. */
    readonly connectedMembers: () => MemberId[],
  ) {
    this.unsubscribe = cdoc.subscribe(() => this.review());
    this.review();
  }

  /**
   * The invite seeds this browser holds for the community, by invite key. Needs no doc, so an
   * open reads them while it reads the doc (session.ts).
   */
  static async loadSeeds(entry: JoinedCommunity): Promise<Map<string, Uint8Array>> {
    const seeds = await loadInviteSeeds(entry.id);
    if (entry.invite) {
      const key = await identityFromSeed(entry.invite.seed);
      seeds.set(key.memberId, entry.invite.seed);
    }
    return seeds;
  }

  static start(
    cdoc: CommunityDoc,
    entry: JoinedCommunity,
    seeds: Map<string, Uint8Array>,
    connectedMembers: () => MemberId[],
  ): MembershipKeeper {
    const keeper = new MembershipKeeper(cdoc, entry, connectedMembers);
    for (const [id, seed] of seeds) keeper.seeds.set(id, seed);
    return keeper;
  }

  /**
   * Why our join (or, on a linked device, our device) does not count: from the state once
   * synced, else from a peer's refusal. A device whose revoke has not reached it yet learns of
   * it only from peers refusing it (untrusted, but all a revoked device will ever hear).
   */
  joinRefusal(): JoinRefusal | null {
    const state = this.cdoc.state();
    const key = this.cdoc.me;
    const asDevice = deviceRefusalOf(state, key);
    if (asDevice) return asDevice;
    if (state.devices.has(key) && this.peerRefusal === 'device-revoked') return this.peerRefusal;
    if (state.members.has(memberOf(state, key))) return null;
    return joinRefusalOf(state, key, Date.now()) ?? this.peerRefusal;
  }

  /** A peer turned us away at the handshake; only a hint, shown while we are not a member. */
  noteRefusal(reason: string, detail?: string): void {
    if (reason === 'banned')
      this.peerBan = parseBanDetail(detail) ?? { reason: '', proposal: null };
    else this.peerRefusal = isJoinRefusal(reason) ? reason : 'not-a-member';
  }

  /**
   * A peer let us in: whoever said we were banned was wrong, the ban was lifted, or this peer
   * has not heard of it yet (then the ban arrives by sync, into our own state).
   */
  noteAdmitted(): void {
    this.peerBan = null;
  }

  /**
   * What a peer said of our ban, while our own state shows none (when it does, the UI shows
   * that ban instead). One unsigned word from one peer: the UI words it as such.
   */
  banHint(): BanHint | null {
    const state = this.cdoc.state();
    return state.bans.has(memberOf(state, this.cdoc.me)) ? null : this.peerBan;
  }

  /** Re-examines the state after a change: joins to admit, our own profile to write. */
  review(): void {
    if (this.closed) return;
    const state = this.cdoc.state();
    // On a linked device, we act for our member: we admit joiners too.
    const me = memberOf(state, this.cdoc.me);
    if (!state.members.has(me)) return;
    if (!state.profiles.has(me) && this.entry.pendingName) void this.writeProfile();
    for (const request of state.joinRequests.values()) {
      if (request.status !== 'waiting' || this.admitting.has(request.join)) continue;
      // Only newcomers we let in ourselves: we checked their invite at the handshake.
      if (!this.connectedMembers().includes(request.member)) continue;
      this.admitting.add(request.join);
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        void this.admit(request.join, request.member);
      }, Math.random() * ADMIT_JITTER_MS);
      this.timers.add(timer);
    }
  }

  close(): void {
    this.closed = true;
    this.unsubscribe();
    for (const timer of this.timers) clearTimeout(timer);
  }

  private async admit(join: EventId, member: MemberId): Promise<void> {
    if (this.closed) return;
    const state = this.cdoc.state();
    const request = state.joinRequests.get(member);
    const invite = request && state.invites.get(request.invite);
    // Someone else may have admitted it meanwhile; the invite is judged by our clock, now.
    if (request?.join !== join || request.status !== 'waiting' || !invite) return;
    if (inviteProblem(invite, Date.now()) !== null) return;
    try {
      await writeAdmit(this.cdoc, join);
    } catch (e) {
      this.admitting.delete(join);
      console.warn('Could not admit a joiner:', e);
    }
  }

  private async writeProfile(): Promise<void> {
    const name = this.entry.pendingName;
    if (this.writingProfile || !name) return;
    this.writingProfile = true;
    try {
      await this.cdoc.append('profile.set', { name, bio: '' });
      delete this.entry.pendingName;
      await saveJoined(this.entry);
    } catch (e) {
      console.warn('Could not write the profile chosen at joining:', e);
    } finally {
      this.writingProfile = false;
    }
  }
}
