/**
 * Builders for community tests: members, founded communities, and raw events written straight
 * into a Y.Doc so tests can craft what a malicious peer would send. Imported only by tests.
 */
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { toBase64url } from '../shared/base64url';
import { concatBytes, equalBytes, randomBytes } from '../shared/bytes';
import { encodeCanonical } from '../shared/canonical';
import type { CommunityId, EventId } from '../shared/ids';
import type { Bodies, EventKind } from './bodies';
import { deriveClientId, SESSION_BYTES } from './client-id';
import { CommunityDoc } from './community-doc';
import { computeEventId, signEvent, type AnyEvent, type SignedEvent } from './event';
import { deriveCommunityId } from './genesis';
import { generateIdentity, identityFromSeed, sign, type Identity } from './identity';
import { signJoinProof } from './join-proof';
import { foundCommunity, writeAdmit, writeJoin, type Founded } from './membership';
import { EVENTS_MAP, validateUpdate } from './validate-update';

/** One session of one member: the key and the session nonce its clientID derives from. */
export interface TestMember {
  identity: Identity;
  session: Uint8Array;
  clientId: number;
}

export async function makeMember(identity?: Identity): Promise<TestMember> {
  const id = identity ?? (await generateIdentity());
  const session = randomBytes(SESSION_BYTES);
  return { identity: id, session, clientId: await deriveClientId(id.publicKey, session) };
}

export interface TestCommunity {
  founder: Identity;
  founded: Founded;
  cdoc: CommunityDoc;
  doc: Y.Doc;
}

/** A fresh community founded through the real code path (membership.ts) in its own Y.Doc. */
export async function foundTestCommunity(displayName = 'Ada'): Promise<TestCommunity> {
  const founder = await generateIdentity();
  const doc = new Y.Doc();
  const { founded, cdoc } = await foundCommunity(
    founder,
    { name: 'Gardeners', description: 'Seeds and soil', rules: 'Be kind.', displayName },
    doc,
  );
  return { founder, founded, cdoc, doc };
}

type EventFields = Omit<Partial<AnyEvent>, 'body'> & { body?: unknown };

export interface RawOptions {
  /** Map key to store under; defaults to the id of the (possibly altered) bytes. */
  key?: string;
  /** Key that signs; defaults to the author's. */
  signer?: Identity;
  /** Replaces the canonical bytes before signing (e.g. non-canonical JSON). */
  bytes?: (canonical: Uint8Array) => Uint8Array;
  /** Alters the bytes after signing (e.g. one byte changed in transit). */
  tamper?: (signed: Uint8Array) => Uint8Array;
}

/** An unsigned event with sensible defaults: a post by `member` at its next free position. */
export function draftEvent(
  member: TestMember,
  community: CommunityId,
  clock: number,
  fields: EventFields = {},
): AnyEvent {
  return {
    v: 1,
    kind: 'post.create',
    community,
    author: member.identity.memberId,
    session: toBase64url(member.session),
    at: Date.now(),
    deps: [],
    y: [member.clientId, clock],
    body: { text: 'hello' },
    ...fields,
  } as AnyEvent;
}

/**
 * Writes one event straight into `doc` the way a malicious peer could: the doc's clientID is set
 * to the member's, the event is signed as told and stored under the key told. Returns the
 * update this write produced (what the peer would send) and the stored event.
 */
export async function writeRawEvent(
  doc: Y.Doc,
  member: TestMember,
  community: CommunityId,
  fields: EventFields = {},
  options: RawOptions = {},
): Promise<{ update: Uint8Array; id: EventId; bytes: Uint8Array; event: AnyEvent }> {
  doc.clientID = member.clientId;
  const event = draftEvent(member, community, Y.getState(doc.store, doc.clientID), fields);
  const canonical = encodeCanonical(event as unknown as Record<string, unknown>);
  const signedBytes = options.bytes ? options.bytes(canonical) : canonical;
  const sig = await sign((options.signer ?? member.identity).privateKey, signedBytes);
  const bytes = options.tamper ? options.tamper(signedBytes) : signedBytes;
  const id = await computeEventId(bytes);
  const before = Y.encodeStateVector(doc);
  doc.getMap(EVENTS_MAP).set(options.key ?? id, { event: bytes, sig });
  return { update: Y.encodeStateAsUpdate(doc, before), id, bytes, event };
}

/** A signed event outside any doc, for reducer and order tests. */
export async function makeEvent<K extends EventKind>(
  member: TestMember,
  community: CommunityId,
  kind: K,
  body: Bodies[K],
  fields: { deps?: EventId[]; at?: number; clock?: number } = {},
): Promise<SignedEvent> {
  const event = draftEvent(member, community, fields.clock ?? 0, {
    kind,
    body,
    deps: fields.deps ?? [],
    at: fields.at ?? 1_700_000_000_000,
  } as EventFields);
  return signEvent(member.identity, event);
}

/** community.create by `founder`, with the community id derived as genesis.ts requires. */
export async function makeGenesis(
  founder: TestMember,
  at = 1_700_000_000_000,
): Promise<{ community: CommunityId; create: SignedEvent }> {
  const nonce = toBase64url(randomBytes(16));
  const community = (await deriveCommunityId(founder.identity.memberId, nonce))!;
  const create = await makeEvent(
    founder,
    community,
    'community.create',
    { name: 'Gardeners', description: '', rules: '', nonce },
    { at },
  );
  return { community, create };
}

/** An invite key pair and the body of the invite.create event that publishes it. */
export async function makeInviteKey(
  expiresAt: number | null = null,
  maxUses: number | null = null,
): Promise<{ seed: Uint8Array; key: Identity; body: Bodies['invite.create'] }> {
  const seed = randomBytes(32);
  const key = await identityFromSeed(seed);
  return { seed, key, body: { publicKey: key.memberId, label: 'test', expiresAt, maxUses } };
}

/** A member.join body counter-signed with `inviteKey` for `invite`. */
export async function joinBody(
  inviteKey: Identity,
  community: CommunityId,
  member: TestMember,
  invite: EventId,
): Promise<Bodies['member.join']> {
  return {
    invite,
    invitePublicKey: inviteKey.memberId,
    proof: await signJoinProof(inviteKey, community, member.identity.memberId, invite),
  };
}

export function eventMap(...events: SignedEvent[]): Map<EventId, SignedEvent> {
  return new Map(events.map((e) => [e.id, e]));
}

/**
 * Removes the delete set from a V1 update, as a peer crafting updates by hand could, so tests
 * can reach the checks behind the delete-set check. Throws if the update does not end with the
 * delete set Yjs would have written.
 */
export function stripDeleteSet(update: Uint8Array): Uint8Array {
  const { ds } = Y.decodeUpdate(update);
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, ds.clients.size);
  for (const [client, items] of [...ds.clients.entries()].sort((a, b) => b[0] - a[0])) {
    encoding.writeVarUint(encoder, client);
    encoding.writeVarUint(encoder, items.length);
    for (const item of items) {
      encoding.writeVarUint(encoder, item.clock);
      encoding.writeVarUint(encoder, item.len);
    }
  }
  const dsBytes = encoding.toUint8Array(encoder);
  const prefix = update.subarray(0, update.length - dsBytes.length);
  if (!equalBytes(update.subarray(prefix.length), dsBytes))
    throw new Error('unexpected update layout');
  return concatBytes(prefix, Uint8Array.of(0));
}

/** What the mesh does with a peer's update: apply it only if the validator accepts it. */
export async function receive(doc: Y.Doc, community: CommunityId, update: Uint8Array) {
  const result = await validateUpdate(update, community);
  if (result.ok) Y.applyUpdate(doc, update, 'remote');
  return result;
}

/** Sends `from`'s missing state to `to` through the validator; throws if it is rejected. */
export async function sync(from: Y.Doc, to: Y.Doc, community: CommunityId): Promise<void> {
  const update = Y.encodeStateAsUpdate(from, Y.encodeStateVector(to));
  const result = await receive(to, community, update);
  if (!result.ok) throw new Error(`sync rejected: ${result.error}`);
}

export interface TestJoiner {
  identity: Identity;
  doc: Y.Doc;
  cdoc: CommunityDoc;
}

/**
 * A new member joins `t` through its first invite the way the app does: the join syncs to the
 * founder, the founder admits it, the admission syncs back and the joiner sets a profile.
 */
export async function joinTestCommunity(
  t: TestCommunity,
  displayName: string,
): Promise<TestJoiner> {
  const identity = await generateIdentity();
  const doc = new Y.Doc();
  await sync(t.doc, doc, t.founded.community);
  const cdoc = await CommunityDoc.open(doc, t.founded.community, identity);
  const join = await writeJoin(cdoc, { seed: t.founded.inviteSeed, event: t.founded.inviteEvent });
  await sync(doc, t.doc, t.founded.community);
  await writeAdmit(t.cdoc, join.id);
  await sync(t.doc, doc, t.founded.community);
  await cdoc.append('profile.set', { name: displayName, bio: '' });
  await sync(doc, t.doc, t.founded.community);
  return { identity, doc, cdoc };
}

/** member.admit of `join` by `admitter`, naming the join as its dep. */
export function admitEvent(
  admitter: TestMember,
  community: CommunityId,
  join: EventId,
  fields: { deps?: EventId[]; at?: number; clock?: number } = {},
): Promise<SignedEvent> {
  return makeEvent(
    admitter,
    community,
    'member.admit',
    { join },
    {
      ...fields,
      deps: [join, ...(fields.deps ?? [])],
    },
  );
}
