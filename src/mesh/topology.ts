/**
 * A bounded partial mesh for large communities: the decisions only, no I/O, so the mesh and the
 * simulator (bench/mesh-sim.ts) run the very same rules.
 *
 * - Each peer keeps `degree` links (default 6) and accepts up to `maxDegree` (8 for 6), so a
 *   newcomer finds room with peers that are already full, while copies of each update a peer
 *   receives (one per link at most) stay near the degree.
 * - Peers are chosen at random from the whole community — full peers answer an announce as
 *   often as peers with room, and shed a link to take the newcomer — so the graph is a random
 *   graph whatever the order peers joined in: all its links are "long" (no locality), its
 *   diameter ~log_degree(N), and it does not split while each peer keeps a few links.
 * - No announcing storm: a peer at its degree stays silent. A peer under it (a newcomer, or one
 *   that lost a link) announces with backoff. A peer links to the announcer with the
 *   probability the announcer asked for, scaled to the community's size. That probability
 *   starts low (1/16) and doubles with each further announce, so in a big community a newcomer
 *   hears from about `degree` random peers, not from all of them, and in a small one it soon
 *   asks everyone. The relay hands an announce to `announceSample` random peers only.
 */
export interface TopologyOptions {
  degree: number;
  /** Links accepted at most; defaults to degree + ⌈degree / 3⌉ (8 for 6). */
  maxDegree?: number;
  random?: () => number;
}

export const DEFAULT_DEGREE = 6;
/** The answer probability of a first announce, doubled at each further one. */
export const FIRST_ANSWER_PROBABILITY = 1 / 16;

export interface Topology {
  readonly degree: number;
  readonly maxDegree: number;
  /** Under degree: announce and look for links. */
  wantsLinks(links: number): boolean;
  /**
   * The answer probability we use at least, in a community of `members` (counting us): the
   * other members answering with it bring an announcer about `degree` answers, so a community
   * of up to degree + 1 members answers every announce at once — a full mesh, with no ramp.
   * `members` is what our doc holds (0 = unknown); the announcer may be a newcomer outside it.
   */
  answerFloor(members: number): number;
  /**
   * The probability with which a peer with room answers an announce that asks `p`, in a
   * community of `members` (0 or Infinity = unknown: just `p`). The announcer's ramp starts
   * at 1/16, which in a big community would bring hundreds of answers (5,000 peers: ~300 per
   * announce, each reserving a link slot until it times out); scaled so the first announce
   * brings about `degree` answers at any size, never below `answerFloor`.
   */
  answerChance(p: number, members: number): number;
  /**
   * The probability with which a peer holding `links` answers a broadcast announce that asks
   * `p`, in a community of `members` (0 or Infinity = unknown). A peer with room answers with
   * `answerChance`. A full peer (at `maxDegree`) answers with `answerFloor` (at most `p`) —
   * about `degree` full peers per announce in a big community — takes the announcer and then sheds one of its other links
   * (`overLinked`). Full peers answering is what keeps the graph random: otherwise a newcomer
   * could only link to the peers with room, which are mostly the other recent newcomers, and
   * the graph would grow in join order, its diameter set by the order peers came in (measured:
   * 7 hops over open links at 1,000 peers, where a random graph of that degree has ~5). It is
   * also what lets a newcomer into a community whose peers are all full (5 peers at degree 3
   * form a complete graph with 4 links each).
   */
  broadcastAnswerChance(links: number, p: number, members: number): number;
  /**
   * Flips the coin of `broadcastAnswerChance`, made up for an announce the relay sampled: a
   * peer that was one of a `reach` fraction of the topic to hear it answers with `chance /
   * reach`, so the answers are as many as if everyone had heard it.
   */
  answersBroadcast(links: number, p: number, members: number, reach?: number): boolean;
  /**
   * How many subscribers the relay may sample for a broadcast announce (32 · degree, 192 for
   * 6). An announce brings at most ~17 · degree answers on average (16 · degree from peers with
   * room once its ramp reaches 1, `degree` from full peers), so `chance / reach` stays ≤ 1 and
   * the sample changes nothing but the relay's cost: O(degree) per announce, not O(N).
   */
  readonly announceSample: number;
  /** Over `maxDegree` (after a replacement): shed a link. */
  overLinked(links: number): boolean;
  /** A peer asks us for a link (an addressed announce or an offer): accept? */
  acceptsLink(links: number): boolean;
  /** The answer probability to put in our `attempt`-th announce since we were last full. */
  announceProbability(attempt: number): number;
  /** Up to `n` of `candidates`, uniformly at random. */
  pick<T>(candidates: readonly T[], n: number): T[];
}

export function createTopology(options: TopologyOptions): Topology {
  const degree = Math.max(1, Math.floor(options.degree));
  const maxDegree = Math.max(
    degree,
    Math.floor(options.maxDegree ?? degree + Math.ceil(degree / 3)),
  );
  const random = options.random ?? Math.random;
  // 0 members: we know nothing yet (a newcomer before its first sync), so no floor — two
  // newcomers of a big community must not link to each other at once.
  const answerFloor = (members: number): number =>
    members >= 1 ? Math.min(1, degree / Math.max(1, members - 1)) : 0;
  function answerChance(p: number, members: number): number {
    if (!(members >= 1 && Number.isFinite(members))) return p;
    const others = Math.max(1, members - 1);
    const scale = Math.min(1, degree / (FIRST_ANSWER_PROBABILITY * others));
    return Math.max(p * scale, answerFloor(members));
  }
  // Under-degree peers obey `p` too: if every newcomer linked to every other under-degree
  // peer, peers joining together would link among themselves and the graph would grow as a
  // long chain in join order (measured: 13 hops at 1,000 peers) instead of a random graph.
  const broadcastAnswerChance = (links: number, p: number, members: number): number =>
    links < maxDegree ? answerChance(p, members) : Math.min(p, answerFloor(members));
  return {
    degree,
    maxDegree,
    wantsLinks: (links) => links < degree,
    answerFloor,
    answerChance,
    broadcastAnswerChance,
    answersBroadcast: (links, p, members, reach = 1) =>
      random() * reach < broadcastAnswerChance(links, p, members),
    announceSample: 32 * degree,
    overLinked: (links) => links > maxDegree,
    acceptsLink: (links) => links < maxDegree,
    announceProbability: (attempt) => Math.min(1, FIRST_ANSWER_PROBABILITY * 2 ** attempt),
    pick(candidates, n) {
      const pool = [...candidates];
      const out: (typeof pool)[number][] = [];
      while (out.length < n && pool.length > 0) {
        const i = Math.floor(random() * pool.length);
        out.push(pool[i]!);
        pool[i] = pool[pool.length - 1]!;
        pool.pop();
      }
      return out;
    },
  };
}

/** Normalises an untrusted answer probability from an announce: absent means "everyone". */
export function answerProbability(p: unknown): number {
  return typeof p === 'number' && p >= 0 && p <= 1 ? p : 1;
}
