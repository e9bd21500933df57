/**
 * Signed presence between presence services wired by an in-memory network: what a member two
 * links away sees, and that nothing but the member's own live record makes them look online.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateIdentity, type Identity } from '../../community/identity';
import { PRESENCE_TTL_MS, signPresence } from '../../community/presence';
import type { CommunityState } from '../../community/state';
import { foundTestCommunity, joinTestCommunity } from '../../community/test-helpers';
import { utf8 } from '../../shared/bytes';
import type { CommunityId, MemberId, PeerId } from '../../shared/ids';
import { createPresence, type Presence } from './presence';

let community: CommunityId;
let state: CommunityState;
let ada: Identity;
let bo: Identity;
let cy: Identity;

beforeAll(async () => {
  const t = await foundTestCommunity('Ada');
  bo = (await joinTestCommunity(t, 'Bo')).identity;
  cy = (await joinTestCommunity(t, 'Cy')).identity;
  ada = t.founder;
  community = t.founded.community;
  state = t.cdoc.state();
});

interface Node {
  presence: Presence;
  penalties: [PeerId, string][];
}

/** A network of presence services; `sends` logs every message as "from>to". */
class Net {
  readonly nodes = new Map<PeerId, Node>();
  readonly links = new Set<string>();
  readonly sends: string[] = [];
  private inFlight: Promise<void>[] = [];
  now = 1_800_000_000_000;

  add(name: string, identity: Identity): Node {
    const id = name as PeerId;
    const node: Node = {
      penalties: [],
      presence: createPresence({
        community,
        identity,
        state: () => state,
        now: () => this.now,
        transport: {
          neighbours: () => [...this.nodes.keys()].filter((p) => this.links.has(`${id}-${p}`)),
          send: (peer, payload) => this.deliver(id, peer, payload),
          penalize: (peer, reason) => node.penalties.push([peer, reason]),
        },
      }),
    };
    this.nodes.set(id, node);
    return node;
  }

  link(a: string, b: string): void {
    this.links.add(`${a}-${b}`).add(`${b}-${a}`);
  }

  deliver(from: PeerId, to: PeerId, payload: Uint8Array): void {
    this.sends.push(`${from}>${to}`);
    this.inFlight.push(this.nodes.get(to)!.presence.receive(from, payload));
  }

  /** Waits until no message is being verified or forwarded. */
  async settle(): Promise<void> {
    while (this.inFlight.length > 0) await Promise.all(this.inFlight.splice(0));
  }

  destroy(): void {
    for (const node of this.nodes.values()) node.presence.destroy();
  }
}

let net: Net;
afterEach(() => net.destroy());

const online = (node: Node): MemberId[] => node.presence.onlineKeys();

/** Bytes signed by `identity` as if at `at`, for a record a test hands to a node directly. */
const recordAt = (identity: Identity, at: number, c: CommunityId = community) =>
  signPresence(identity, c, at);

describe('signed presence', () => {
  it('shows a member two links away as online, each record crossing each link once', async () => {
    net = new Net();
    const [a, b, c] = [net.add('a', ada), net.add('b', bo), net.add('c', cy)];
    net.link('a', 'b');
    net.link('b', 'c');
    await a.presence.heartbeat();
    await net.settle();
    expect(online(c)).toEqual([ada.memberId]);
    expect(online(b)).toEqual([ada.memberId]);
    // b forwards to c but never back to a; c has no one else to tell.
    expect(net.sends).toEqual(['a>b', 'b>c']);
    expect(c.presence.lastSeen().get(ada.memberId)).toBe(net.now);
  });

  it('forwards a record at most once per link where links form a loop', async () => {
    net = new Net();
    const [a, , c] = [net.add('a', ada), net.add('b', bo), net.add('c', cy)];
    net.link('a', 'b');
    net.link('b', 'c');
    net.link('a', 'c');
    await a.presence.heartbeat();
    await net.settle();
    expect(online(c)).toEqual([ada.memberId]);
    // a tells b and c; b and c each tell the other once; the copies they receive stop there.
    expect([...net.sends].sort()).toEqual(['a>b', 'a>c', 'b>c', 'c>b']);
    expect(a.penalties).toEqual([]);
  });

  it('stops showing a member once their record expires, and a replay does not bring them back', async () => {
    net = new Net();
    const b = net.add('b', bo);
    const old = await recordAt(ada, net.now);
    await b.presence.receive('a' as PeerId, old);
    expect(online(b)).toEqual([ada.memberId]);
    net.now += PRESENCE_TTL_MS + 1;
    expect(online(b)).toEqual([]);
    await b.presence.receive('a' as PeerId, old);
    expect(online(b)).toEqual([]);
    expect(b.penalties).toEqual([]);
  });

  it('does not let a replayed older record replace a newer one', async () => {
    net = new Net();
    const b = net.add('b', bo);
    const first = await recordAt(ada, net.now);
    const second = await recordAt(ada, net.now + 20_000);
    net.now += 20_000;
    await b.presence.receive('a' as PeerId, second);
    await b.presence.receive('a' as PeerId, first);
    expect(b.presence.lastSeen().get(ada.memberId)).toBe(net.now);
    // The older record would have expired 20 s sooner: online time follows the newer one.
    net.now += PRESENCE_TTL_MS - 10_000;
    expect(online(b)).toEqual([ada.memberId]);
  });

  it('ignores a record dated past its expiry, from another community, or from a non-member', async () => {
    net = new Net();
    const b = net.add('b', bo);
    const outsider = await generateIdentity();
    const from = 'a' as PeerId;
    await b.presence.receive(from, await recordAt(ada, net.now - PRESENCE_TTL_MS - 1));
    await b.presence.receive(from, await recordAt(ada, net.now, 'other' as CommunityId));
    await b.presence.receive(from, await recordAt(outsider, net.now));
    await b.presence.receive(from, await recordAt(ada, net.now + 10 * 60_000));
    expect(online(b)).toEqual([]);
    expect(b.presence.lastSeen().size).toBe(0);
    // Clocks differ and states sync late: none of these is held against the sender.
    expect(b.penalties).toEqual([]);
  });

  it('rejects a forged record and penalises the peer that sent it, without forwarding it', async () => {
    net = new Net();
    const [b, c] = [net.add('b', bo), net.add('c', cy)];
    net.link('b', 'c');
    const genuine = JSON.parse(new TextDecoder().decode(await recordAt(ada, net.now)));
    // Someone re-dates Ada's record, keeping her signature, to keep her looking online.
    const redated = utf8(
      JSON.stringify({ ...genuine, at: genuine.at + 1, expiresAt: genuine.expiresAt + 1 }),
    );
    const otherKey = utf8(JSON.stringify({ ...genuine, key: cy.memberId }));
    await b.presence.receive('x' as PeerId, redated);
    await b.presence.receive('x' as PeerId, otherKey);
    await b.presence.receive('x' as PeerId, utf8('not a record'));
    await net.settle();
    expect(online(b)).toEqual([]);
    expect(online(c)).toEqual([]);
    expect(net.sends).toEqual([]);
    expect(b.penalties.map(([, reason]) => reason)).toEqual([
      'forged presence',
      'forged presence',
      'malformed presence',
    ]);
  });

  it('takes at most one record per member every few seconds', async () => {
    net = new Net();
    const b = net.add('b', bo);
    await b.presence.receive('a' as PeerId, await recordAt(ada, net.now));
    net.now += 1_000;
    await b.presence.receive('a' as PeerId, await recordAt(ada, net.now));
    expect(b.presence.lastSeen().get(ada.memberId)).toBe(net.now - 1_000);
    net.now += 20_000;
    await b.presence.receive('a' as PeerId, await recordAt(ada, net.now));
    expect(b.presence.lastSeen().get(ada.memberId)).toBe(net.now);
  });

  it('gives a newly admitted neighbour every live record at once', async () => {
    net = new Net();
    const [a, b, c] = [net.add('a', ada), net.add('b', bo), net.add('c', cy)];
    net.link('a', 'b');
    await a.presence.heartbeat();
    await b.presence.heartbeat();
    await net.settle();
    net.link('b', 'c');
    b.presence.peerAdmitted('c' as PeerId);
    await net.settle();
    expect(online(c).sort()).toEqual([ada.memberId, bo.memberId].sort());
  });
});
