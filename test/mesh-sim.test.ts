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
    // Simulated time (bench/virtual-clock.ts): paths follow the modelled latencies, not the
    // machine's load, so the target holds with no slack, on the worst shortest path.
    expect(r.maxHops).toBeLessThanOrEqual(r.hopTarget);
    // Peers cut off by churn as an update was written get it later, by a new link: rare.
    expect(r.unreachableAtWrite).toBeLessThanOrEqual(0.01 * r.livePeers * 10);
    // A broadcast announce reaches at most 32 · degree peers; an addressed envelope one.
    expect(r.relay.announceDeliveries).toBeLessThanOrEqual(32 * 4 * r.relay.announces);
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
