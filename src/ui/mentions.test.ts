import { describe, expect, it } from 'vitest';
import type { MemberId } from '../shared/ids';
import { matchMembers, mentionQuery, mentionsIn } from './mentions';

const bo = { id: 'bo' as MemberId, name: 'Bo Kim' };
const ada = { id: 'ada' as MemberId, name: 'Ada' };

describe('@mentions in the composer', () => {
  it('finds the @name typed before the caret, but not inside an e-mail address', () => {
    expect(mentionQuery('Thanks @Bo', 10)).toEqual({ start: 7, query: 'Bo' });
    expect(mentionQuery('@', 1)).toEqual({ start: 0, query: '' });
    expect(mentionQuery('(@ad', 4)).toEqual({ start: 1, query: 'ad' });
    expect(mentionQuery('mail bo@example.org', 19)).toBeNull();
    expect(mentionQuery('@Bo\nnext line', 13)).toBeNull();
  });

  it('offers members by the start of their name or of a word in it', () => {
    expect(matchMembers([ada, bo], 'ki')).toEqual([bo]);
    expect(matchMembers([ada, bo], '')).toEqual([ada, bo]);
    expect(matchMembers([ada, bo], 'x')).toEqual([]);
  });

  it('records only the picked members still named in the text', () => {
    const picked = new Map([
      [ada.id, ada.name],
      [bo.id, bo.name],
    ]);
    expect(mentionsIn('Hi @Bo Kim, see you', picked)).toEqual([bo.id]);
  });
});
