/** Words for membership: why a join was refused, and how an invite stands. Pure, no DOM. */
import type { InviteStatus, JoinRefusal } from '../community/invites/invite-status';
import type { Invite } from '../community/state';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** What happened, in one sentence the joiner can act on together with NEW_LINK_ADVICE. */
export const JOIN_REFUSAL_TEXT: Record<JoinRefusal, string> = {
  'invite-expired': 'This invite link has expired.',
  'invite-revoked': 'This invite link was revoked by the community.',
  'invite-used-up': 'This invite link has already been used as many times as it allows.',
  'invite-unknown': 'The community does not know this invite link.',
  'not-a-member': 'The members you reached did not recognise you as a member.',
  banned: 'A member’s browser says you were banned from this community.',
  'bad-proof': 'Your browser could not prove who you are to the members you reached.',
  'device-link-expired': 'This device link has expired.',
  'device-link-used': 'This device link has already been used by another device.',
  'device-link-unknown': 'The community does not know this device link.',
  'device-revoked': 'This browser was removed from the member’s devices.',
};

export const NEW_LINK_ADVICE = 'Ask the person who invited you for a new link, then open it here.';

/** What a browser opened through a device link is told when it is not (or no longer) let in. */
export const DEVICE_ADVICE: Partial<Record<JoinRefusal, string>> = {
  'device-link-expired':
    'Create a new device link on the browser you joined with and open it here.',
  'device-link-used': 'Create a new device link on the browser you joined with and open it here.',
  'device-link-unknown':
    'Open the link while the browser you joined with is online, or create a new one there.',
  'device-revoked':
    'This browser can no longer post or read new posts as you. Use the browser you joined with.',
};

export const INVITE_STATUS_TEXT: Record<InviteStatus, string> = {
  active: 'Active',
  expired: 'Expired',
  revoked: 'Revoked',
  'used-up': 'Used up',
};

export function describeUses(invite: Invite): string {
  if (invite.maxUses === null) return invite.uses === 1 ? 'Used once' : `Used ${invite.uses} times`;
  return `Used ${invite.uses} of ${invite.maxUses}`;
}

export function describeExpiry(invite: Invite, now: number): string {
  if (invite.expiresAt === null) return 'Never expires';
  const left = invite.expiresAt - now;
  if (left <= 0) return 'Expired';
  if (left < HOUR) return `Expires in ${Math.max(1, Math.round(left / 60_000))} min`;
  if (left < 2 * DAY) return `Expires in ${Math.round(left / HOUR)} h`;
  return `Expires in ${Math.round(left / DAY)} days`;
}

export const EXPIRY_CHOICES = [
  { label: '1 hour', ms: HOUR },
  { label: '1 day', ms: DAY },
  { label: '7 days', ms: 7 * DAY },
  { label: 'Never', ms: null },
] as const;

export const USE_CHOICES = [
  { label: '1 use', uses: 1 },
  { label: '10 uses', uses: 10 },
  { label: 'Unlimited', uses: null },
] as const;
