import { describe, expect, it } from 'vitest';
import type { EventId, MemberId } from '../../shared/ids';
import type { Post } from '../state';
import { highlight } from './highlight';
import { PostSearch } from './search';

function post(n: number, text: string, title: string | null = null): Post {
  const id = `p${n}` as EventId;
  return {
    id,
    author: 'm' as MemberId,
    text,
    at: n,
    title,
    parent: null,
    thread: id,
    history: [],
    editedAt: null,
    deleted: false,
    mentions: [],
    attachments: [],
  };
}

describe('PostSearch', () => {
  it('finds titles and texts by prefix and follows edits, deletes and vanished posts', () => {
    const search = new PostSearch();
    const a = post(1, 'Tomatoes need sun', 'Garden plan');
    const b = post(2, 'Compost bins arrive Saturday');
    search.sync([a, b]);
    expect(search.search('garde').map((h) => h.post)).toEqual(['p1']);
    expect(search.search('compost sat').map((h) => h.post)).toEqual(['p2']);

    const edited = {
      ...b,
      text: 'Bins arrive Sunday',
      history: [{ title: null, text: b.text, at: 2 }],
    };
    search.sync([a, edited]);
    expect(search.search('saturday')).toEqual([]);
    expect(search.search('sunday').map((h) => h.post)).toEqual(['p2']);

    search.sync([{ ...a, deleted: true, text: '', title: null }, edited]);
    expect(search.search('tomatoes')).toEqual([]);
    search.sync([]);
    expect(search.search('sunday')).toEqual([]);
    expect(search.size).toBe(0);
  });

  it('leaves out posts the caller does not show (hidden by a moderator, banned author)', () => {
    const search = new PostSearch();
    search.sync([post(1, 'Compost rota'), post(2, 'Compost for sale, DM me')]);
    expect(search.search('compost').map((h) => h.post)).toEqual(['p1', 'p2']);
    expect(search.search('compost', 50, (id) => id !== 'p2').map((h) => h.post)).toEqual(['p1']);
  });
});

describe('highlight', () => {
  it('marks matched word starts as text segments around the first match', () => {
    const segments = highlight('The compost bins: <b>compostable</b> too', ['compost']);
    expect(segments.filter((s) => s.match).map((s) => s.text)).toEqual(['compost', 'compost']);
    expect(segments.map((s) => s.text).join('')).toBe('The compost bins: <b>compostable</b> too');
    const long = highlight(`${'x '.repeat(200)}needle here`, ['needle'], 60);
    expect(long[0]!.text.startsWith('…')).toBe(true);
    expect(long.some((s) => s.match && s.text === 'needle')).toBe(true);
  });
});
