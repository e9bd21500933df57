import { describe, expect, it } from 'vitest';
import { simulate } from '../bench/mesh-sim';

/** The small version of `npm run bench mesh`: the real sync + gossip + topology code. */
describe('mesh simulation, 60 peers, degree 4', () => {
  it('converges under 30% churn with bounded links, copies and hops', async () => {
    const r = await simulate({
      peers: 60,
      degree: 4,
      forward: 'gossip',
      churn: 0.3,
      updates: 10,
      latencyMs: [5, 20],
      relayLoss: 0.05,
      timeoutMs: 20_000,
    });
    expect(r.converged).toBe(true);
    expect(r.convergedPeers).toBe(r.livePeers);
    expect(r.maxLinksPerPeer).toBeLessThanOrEqual(6);
    expect(r.duplicatesPerUpdatePerPeer).toBeLessThanOrEqual(4);
    // Timing is real (timers on a shared machine), so the worst single path varies between runs:
    // under 30% churn a late joiner is sometimes reached one or two hops beyond the target.
    // The target holds for 99% of deliveries; docs/scale.md reports both figures.
    expect(r.p99Hops).toBeLessThanOrEqual(r.hopTarget);
    expect(r.maxHops).toBeLessThanOrEqual(r.hopTarget + 2);
  }, 60_000);

  it('does not converge without forwarding: the partial mesh really is partial', async () => {
    const r = await simulate({
      peers: 40,
      degree: 3,
      forward: 'none',
      churn: 0,
      updates: 5,
      latencyMs: [5, 20],
      relayLoss: 0,
      timeoutMs: 3_000,
    });
    expect(r.converged).toBe(false);
    expect(r.linksPerPeer).toBeLessThan(39);
  }, 60_000);
});
