import { describe, expect, it } from 'vitest';
import type { MemberId } from '../shared/ids';
import { memberName } from './names';
import type { Profile } from './state';

const alice = 'QUxJQ0UtcHVibGljLWtleS1ieXRlcy0wMDAwMDAwMDAw' as MemberId;

describe('memberName', () => {
  it('tells two members with the same name apart by the start of their key', () => {
    const other = 'Qk9CQk9CQk9CQk9CQk9CQk9CQk9CQk9CQk9CQk9CQk9' as MemberId;
    const profiles = new Map([
      [alice, profile('Alice')],
      [other, profile('Alice')],
    ]);
    expect(memberName(profiles, alice)).toBe('Alice (QUxJ·Q0Ut)');
    expect(memberName(profiles, other)).toBe('Alice (Qk9C·Qk9C)');
  });

  const profile = (name: string): Profile => ({ name, bio: '', updatedAt: 0 });

  it('uses the display name from the profile', () => {
    expect(memberName(new Map([[alice, profile('Alice')]]), alice)).toBe('Alice');
  });

  it('falls back to the first 8 characters of the member id', () => {
    expect(memberName(new Map(), alice)).toBe('QUxJQ0Ut');
    expect(memberName(new Map([[alice, profile('   ')]]), alice)).toBe('QUxJQ0Ut');
  });
});
