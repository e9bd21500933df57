import { describe, expect, it } from 'vitest';
import type { MemberId } from '../shared/ids';
import { fingerprint } from '../community/names';
import { listPeople } from './people';
import { emptyState } from '../community/reducer';

const alice1 = 'AAAAaaaa1111111111111111111111111111111111A' as MemberId;
const alice2 = 'BBBBbbbb2222222222222222222222222222222222B' as MemberId;
const mod = 'CCCCcccc3333333333333333333333333333333333C' as MemberId;

function state() {
  const s = emptyState();
  for (const [id, at] of [
    [alice1, 10],
    [alice2, 20],
    [mod, 5],
  ] as const) {
    s.members.set(id, { id, joinedAt: at, invite: null });
  }
  s.moderators.add(mod);
  s.profiles.set(alice1, { name: 'Alice', bio: 'gardens', updatedAt: 30 });
  s.profiles.set(alice2, { name: 'Alice', bio: '', updatedAt: 25 });
  return s;
}

describe('people', () => {
  it('tells two members with the same name apart by a key fingerprint', () => {
    const people = listPeople(state(), new Set(), 100);
    const alices = people.filter((p) => p.name === 'Alice');
    expect(alices.map((p) => p.fingerprint)).toEqual(['AAAA·aaaa', 'BBBB·bbbb']);
    expect(fingerprint(alice1)).not.toBe(fingerprint(alice2));
  });

  it('lists who is online first, with roles and the latest time each was active', () => {
    const people = listPeople(state(), new Set([mod]), 100);
    expect(people.map((p) => [p.name.slice(0, 5), p.role, p.online, p.lastSeen])).toEqual([
      ['CCCCc', 'moderator', true, 100],
      ['Alice', 'member', false, 30],
      ['Alice', 'member', false, 25],
    ]);
  });

  it('shows when a member was last seen online through the mesh, from their signed presence', () => {
    const people = listPeople(state(), new Set(), 100, new Map([[alice2, 60]]));
    expect(people.map((p) => [p.fingerprint, p.lastSeen])).toEqual([
      ['AAAA·aaaa', 30],
      ['BBBB·bbbb', 60],
      ['CCCC·cccc', 5],
    ]);
  });
});
