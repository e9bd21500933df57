/**
 * Membership over a CommunityView: invites as this member sees them, whether they may invite,
 * and why their own join was refused. Reads go through the view, so they are reactive.
 */
import { canInvite, canRevokeInvite } from '../../community/invites/can-invite';
import type { JoinRefusal } from '../../community/invites/invite-status';
import type { Invite } from '../../community/state';
import type { BanHint } from '../../community/governance/ban-refusal';
import type { EventId } from '../../shared/ids';
import type { Result } from '../../shared/result';
import type { NewInvite } from '../api';
import type { CommunityView } from './community-view.svelte';

export class MembershipView {
  readonly view: CommunityView;

  constructor(view: CommunityView) {
    this.view = view;
  }

  get mayInvite(): boolean {
    return canInvite(this.view.state, this.view.me);
  }

  /** Newest first. */
  get invites(): Invite[] {
    return [...this.view.state.invites.values()].sort(
      (a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1),
    );
  }

  mayRevoke(invite: Invite): boolean {
    return canRevokeInvite(this.view.state, this.view.me, invite);
  }

  /** The invite's link while this browser holds its seed. */
  linkFor(invite: EventId): string | null {
    void this.view.state;
    return this.view.handle.inviteLinkFor(invite);
  }

  /** Why our join does not count; changes with the state and with peers' refusals (status). */
  get refusal(): JoinRefusal | null {
    void this.view.state;
    void this.view.status;
    return this.view.handle.joinRefusal();
  }

  /** What a peer said of our ban while our own state shows none (status changes with it). */
  get banHint(): BanHint | null {
    void this.view.state;
    void this.view.status;
    return this.view.handle.banHint();
  }

  create(input: NewInvite): Promise<Result<string>> {
    return this.view.handle.createInvite(input);
  }

  revoke(invite: EventId | 'all'): Promise<Result<void>> {
    return this.view.handle.revokeInvite(invite);
  }
}
