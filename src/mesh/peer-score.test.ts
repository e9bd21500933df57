import { describe, expect, it } from 'vitest';
import type { PeerId } from '../shared/ids';
import { createPeerScores } from './peer-score';

const a = 'a' as PeerId;
const b = 'b' as PeerId;

function clock() {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('peer scores', () => {
  it('adds penalties up to the threshold, and only for that peer', () => {
    const c = clock();
    const scores = createPeerScores({ now: c.now, threshold: 100 });
    expect(scores.penalize(a, 40)).toBe(false);
    expect(scores.penalize(a, 40)).toBe(false);
    expect(scores.penalize(b, 40)).toBe(false);
    expect(scores.penalize(a, 40)).toBe(true);
    expect(scores.score(b)).toBe(40);
  });

  it('forgets old penalties: a rare glitch never adds up to a drop', () => {
    const c = clock();
    const scores = createPeerScores({ now: c.now, threshold: 100, halfLifeMs: 60_000 });
    for (let i = 0; i < 50; i++) {
      expect(scores.penalize(a, 30)).toBe(false);
      c.advance(5 * 60_000);
    }
    scores.penalize(a, 60);
    c.advance(60_000);
    expect(scores.score(a)).toBeCloseTo(30, 0);
  });

  it('drops a flooding peer but not a busy honest one', () => {
    const c = clock();
    const scores = createPeerScores({ now: c.now, messagesPerSecond: 100, burst: 1_000 });
    // Honest: 90 messages a second for a minute.
    for (let s = 0; s < 60; s++) {
      for (let i = 0; i < 90; i++) expect(scores.allowMessage(a)).toBe(true);
      c.advance(1_000);
    }
    // Flood: the burst goes, then the next message is refused.
    let allowed = 0;
    while (scores.allowMessage(b)) allowed++;
    expect(allowed).toBe(1_000);
    c.advance(100);
    expect(scores.allowMessage(b)).toBe(true); // refilled 10 tokens
  });

  it('refuses for a while, longer each time, then lets the peer back', () => {
    const c = clock();
    const scores = createPeerScores({ now: c.now, refuseMs: 60_000, maxRefuseMs: 150_000 });
    scores.refuse(a);
    expect(scores.isRefused(a)).toBe(true);
    expect(scores.isRefused(b)).toBe(false);
    c.advance(60_001);
    expect(scores.isRefused(a)).toBe(false);
    scores.refuse(a);
    c.advance(100_000);
    expect(scores.isRefused(a)).toBe(true); // second refusal: 120 s
    c.advance(20_001);
    expect(scores.isRefused(a)).toBe(false);
    scores.refuse(a);
    c.advance(150_001); // capped at 150 s, not 240 s
    expect(scores.isRefused(a)).toBe(false);
  });
});
