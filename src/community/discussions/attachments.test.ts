/** Files attached to a post (issue 8): the body's cap at ingest, and what the reducer keeps. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { toBase64url } from '../../shared/base64url';
import type { EventId } from '../../shared/ids';
import { validateBody } from '../bodies';
import { LIMITS } from '../limits';
import {
  foundTestCommunity,
  joinTestCommunity,
  makeMember,
  sync,
  writeRawEvent,
  type TestCommunity,
} from '../test-helpers';
import { validateUpdate } from '../validate-update';

const ids = (n: number) =>
  Array.from({ length: n }, (_, i) => toBase64url(new Uint8Array(32).fill(i + 1)) as EventId);
const attach = (attachments: unknown) =>
  validateBody('post.create', { text: 'photos', attachments });

describe('post attachments at ingest', () => {
  it(`accepts up to ${LIMITS.attachments} distinct ids`, () => {
    expect(attach([]).ok).toBe(true);
    expect(attach(ids(LIMITS.attachments)).ok).toBe(true);
  });

  it('refuses one over the cap, a repeated id, a malformed id and a non-list', () => {
    expect(attach(ids(LIMITS.attachments + 1))).toEqual({
      ok: false,
      error: `attachments are not a list of at most ${LIMITS.attachments} files`,
    });
    const [one] = ids(1);
    expect(attach([one, one])).toEqual({ ok: false, error: 'a file is attached twice' });
    expect(attach(['not-an-id'])).toEqual({ ok: false, error: 'an attachment is malformed' });
    expect(attach([42])).toEqual({ ok: false, error: 'an attachment is malformed' });
    expect(attach('all')).toEqual({
      ok: false,
      error: `attachments are not a list of at most ${LIMITS.attachments} files`,
    });
  });

  it('rejects a peer’s whole update carrying an over-cap post, before it is applied', async () => {
    const t = await foundTestCommunity();
    const mallory = await makeMember();
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(t.doc));
    const { update } = await writeRawEvent(doc, mallory, t.founded.community, {
      kind: 'post.create',
      body: { text: 'spam', attachments: ids(LIMITS.attachments + 1) },
    });
    expect(await validateUpdate(update, t.founded.community)).toEqual({
      ok: false,
      error: `post.create: attachments are not a list of at most ${LIMITS.attachments} files`,
    });
  });
});

describe('post attachments in the state', () => {
  let ada: TestCommunity;
  beforeAll(async () => {
    ada = await foundTestCommunity('Ada');
  });

  it('keeps the ids a post names, a forged one included, and drops them when it is deleted', async () => {
    const bo = await joinTestCommunity(ada, 'Bo');
    const file = await ada.cdoc.append('file.share', {
      name: 'a.txt',
      size: 1,
      type: 'text/plain',
      blockSize: 256 * 1024,
      hashes: [toBase64url(new Uint8Array(32))],
    });
    const [forged] = ids(1);
    const p = await ada.cdoc.append('post.create', {
      text: 'see attached',
      attachments: [file.id, forged!],
    });
    await sync(ada.doc, bo.doc, ada.founded.community);
    const seen = bo.cdoc.state();
    expect(seen.postsById.get(p.id)?.attachments).toEqual([file.id, forged]);
    // What the UI shows: only ids that name a shared file.
    expect(seen.postsById.get(p.id)!.attachments.filter((id) => seen.files.has(id))).toEqual([
      file.id,
    ]);
    await ada.cdoc.append('post.delete', { post: p.id });
    expect(ada.cdoc.state().postsById.get(p.id)?.attachments).toEqual([]);
  });
});
