/**
 * What a peer refusing a banned member at the admission handshake tells them (docs/governance.md,
 * "Enforcement"): the ban's reason and the proposal that decided it. A member who was offline
 * when the ban passed hears of it only this way, since no honest peer syncs with them again.
 * It comes from one peer and is unsigned, so the refused browser shows it as a hint, never as
 * state.
 */
import { isBase64urlOfLength } from '../../shared/base64url';
import type { EventId } from '../../shared/ids';
import { POLICY_LIMITS } from './policy';
import type { Ban } from './state';

export interface BanHint {
  /** Empty when the peer sent no readable reason. */
  reason: string;
  proposal: EventId | null;
}

export const banDetail = (ban: Ban): string =>
  JSON.stringify({ reason: ban.reason, proposal: ban.proposal });

/** The hint in a refusal's detail, or null when it is not one (a peer may send anything). */
export function parseBanDetail(detail: string | undefined): BanHint | null {
  if (detail === undefined) return null;
  let value: unknown;
  try {
    value = JSON.parse(detail);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { reason, proposal } = value as Record<string, unknown>;
  if (typeof reason !== 'string' || reason.length > POLICY_LIMITS.reason) return null;
  if (!isBase64urlOfLength(proposal, 32)) return null;
  return { reason, proposal: proposal as EventId };
}
