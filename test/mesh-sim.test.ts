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
    // Timing is real (timers on a shared machine), so paths vary between runs: at 60 peers under
    // 30% churn, the 1% tail is a handful of late joiners, and about one run in four puts them
    // one hop past log_degree(N)+3 (seen before and after the partial mesh was switched on). So
    // this small run allows one hop of slack on p99 and two on the worst path; the target itself
    // is held by `npm run bench mesh` at 100-5,000 peers (docs/scale.md has the figures).
    expect(r.p99Hops).toBeLessThanOrEqual(r.hopTarget + 1);
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
