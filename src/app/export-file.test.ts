import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CommunityDoc } from '../community/community-doc';
import { foundTestCommunity, type TestCommunity } from '../community/test-helpers';
import { fromBase64url, toBase64url } from '../shared/base64url';
import { openIdentity, sealIdentity } from '../community/identity-backup';
import { decodeExport, encodeExport, type ExportedAccess } from './export-file';

let t: TestCommunity;
let access: ExportedAccess;
let file: Uint8Array;

beforeAll(async () => {
  t = await foundTestCommunity();
  await t.cdoc.appendMany('post.create', [{ text: 'one' }, { text: 'two' }]);
  access = {
    community: t.founded.community,
    name: 'Gardeners',
    secret: t.founded.secret,
    relays: ['ws://127.0.0.1:1/signal'],
    invite: { seed: t.founded.inviteSeed, event: t.founded.inviteEvent },
  };
  file = encodeExport(access, t.cdoc.events.values());
});

const edit = (change: (json: { events: { event: string; sig: string }[] }) => void) => {
  const json = JSON.parse(new TextDecoder().decode(file));
  change(json);
  return new TextEncoder().encode(JSON.stringify(json));
};

const textOf = (event: string) => new TextDecoder().decode(fromBase64url(event)!);

describe('community export files', () => {
  it('round-trip into a fresh doc with every event, each at its own position', async () => {
    const imported = await decodeExport(file);
    if (!imported.ok) throw new Error(imported.error);
    expect(imported.value).toMatchObject({ community: access.community, relays: access.relays });
    expect(imported.value.invite?.seed).toEqual(access.invite!.seed);
    const doc = new Y.Doc();
    imported.value.updates.forEach((u) => Y.applyUpdate(doc, u));
    expect(Y.encodeStateVector(doc)).toEqual(Y.encodeStateVector(t.doc));
    const reopened = await CommunityDoc.open(doc, access.community, t.founder);
    expect(
      reopened
        .state()
        .posts.map((p) => p.text)
        .sort(),
    ).toEqual(['one', 'two']);
    expect(reopened.state().meta?.name).toBe('Gardeners');
  });

  it('refuse a changed byte in any signed event, naming the problem', async () => {
    const tampered = edit((json) => {
      const entry = json.events.find((e) => textOf(e.event).includes('"two"'))!;
      entry.event = toBase64url(
        new TextEncoder().encode(textOf(entry.event).replace('two', 'TWO')),
      );
    });
    const result = await decodeExport(tampered);
    expect(result).toMatchObject({ ok: false });
    expect(!result.ok && result.error).toMatch(/can't be imported.*Nothing was changed/);
  });

  it('refuse a forged signature, a missing event, and files that are not exports', async () => {
    const forged = edit((json) => {
      json.events[0]!.sig = toBase64url(new Uint8Array(64));
    });
    expect((await decodeExport(forged)).ok).toBe(false);
    // The genesis sits at clock 0 of the founder's session; without it the rest has a gap.
    const missing = edit((json) => {
      json.events = json.events.filter((e) => !textOf(e.event).includes('community.create'));
    });
    expect((await decodeExport(missing)).ok).toBe(false);
    expect((await decodeExport(new TextEncoder().encode('{"format":"other"}'))).ok).toBe(false);
    expect((await decodeExport(new Uint8Array([0xff, 0xfe]))).ok).toBe(false);
  });

  it('carry a sealed identity when asked, which opens with its passphrase only', async () => {
    const sealed = await sealIdentity(t.founder, 'a long passphrase', 100_000);
    if (!sealed.ok) throw new Error(sealed.error);
    const withIdentity = encodeExport(access, t.cdoc.events.values(), sealed.value);
    const imported = await decodeExport(withIdentity);
    if (!imported.ok) throw new Error(imported.error);
    expect(imported.value.identity?.member).toBe(t.founder.memberId);
    const opened = await openIdentity(imported.value.identity!, 'a long passphrase');
    expect(opened.ok && opened.value.memberId).toBe(t.founder.memberId);
    expect((await openIdentity(imported.value.identity!, 'a long passphrasE')).ok).toBe(false);
    // Without one, the field is absent and the import is a reader's copy.
    expect(JSON.parse(new TextDecoder().decode(file))).not.toHaveProperty('identity');
    const plain = await decodeExport(file);
    expect(plain.ok && plain.value.identity).toBeNull();
    const damaged = JSON.parse(new TextDecoder().decode(withIdentity));
    damaged.identity.sealed = 'x';
    const refused = await decodeExport(new TextEncoder().encode(JSON.stringify(damaged)));
    expect(!refused.ok && refused.error).toMatch(/identity backup in it is damaged/);
  });
});
