/** Runs the admission handshake between two hook sets over an in-memory pipe. Tests only. */
import { createHandshake, type AdmissionHooks, type AdmissionOutcome } from '../../mesh/admission';
import type { PeerId } from '../../shared/ids';

/**
 * Runs a handshake between two hook sets; returns each side's outcome and what was sent. With
 * `lateAnswerer`, the answerer's channel opens only after the dialer's hello reached it (as
 * simple-peer delivers data before its own connect event).
 */
export async function handshake(
  dialer: AdmissionHooks,
  answerer: AdmissionHooks,
  lateAnswerer = false,
) {
  const sent: { from: 'dialer' | 'answerer'; payload: Uint8Array }[] = [];
  const a = createHandshake({
    peer: 'answerer' as PeerId,
    initiator: true,
    hooks: dialer,
    send: (payload) => {
      sent.push({ from: 'dialer', payload });
      queueMicrotask(() => b.receive(payload));
    },
  });
  const b = createHandshake({
    peer: 'dialer' as PeerId,
    initiator: false,
    hooks: answerer,
    send: (payload) => {
      sent.push({ from: 'answerer', payload });
      queueMicrotask(() => a.receive(payload));
    },
  });
  a.start();
  if (lateAnswerer) await new Promise((resolve) => setTimeout(resolve, 50));
  b.start();
  return { dialer: await a.outcome, answerer: await b.outcome, sent };
}

export const refusedBecause = (o: AdmissionOutcome) => (o.ok ? null : o.error.reason);
