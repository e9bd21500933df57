/**
 * Signed events (DESIGN.md §3): everything a member says. An event is stored as its exact
 * canonical bytes plus an Ed25519 signature over them; its id is the SHA-256 of those bytes.
 */
import { fromBase64url, isBase64urlOfLength, toBase64url } from '../shared/base64url';
import { digest } from 'lib0/hash/sha256';
import { decodeCanonical, encodeCanonical } from '../shared/canonical';
import type { CommunityId, EventId, MemberId } from '../shared/ids';
import { err, ok, type Result } from '../shared/result';
import { isEventKind, validateBody, type Bodies, type EventKind } from './bodies';
import { deriveClientId, SESSION_BYTES } from './client-id';
import { sign, verifySignature, type Identity } from './identity';
import { deriveCommunityId } from './genesis';
import { verifyDeviceProof } from './devices/link';
import { verifyJoinProof } from './join-proof';
import { LIMITS } from './limits';

export interface MootEvent<K extends EventKind = EventKind> {
  v: 1;
  kind: K;
  community: CommunityId;
  author: MemberId;
  /** base64url session nonce; with the author's key it derives the Yjs clientID. */
  session: string;
  /** Author's clock in ms since epoch. Untrusted. */
  at: number;
  /** Event-graph heads the author knew. */
  deps: EventId[];
  /** The Yjs struct position [clientID, clock] this event is stored at. */
  y: [number, number];
  body: Bodies[K];
}

export type AnyEvent = { [K in EventKind]: MootEvent<K> }[EventKind];

export interface SignedEvent {
  id: EventId;
  event: AnyEvent;
  bytes: Uint8Array;
  sig: Uint8Array;
}

const EVENT_FIELDS = ['at', 'author', 'body', 'community', 'deps', 'kind', 'session', 'v', 'y'];

/** Structure only: canonical form, field types, body shape. No hashing, no signatures. */
export function parseEvent(bytes: Uint8Array): Result<AnyEvent> {
  if (bytes.length > LIMITS.eventBytes) return err('event too large');
  const decoded = decodeCanonical(bytes);
  if (!decoded.ok) return decoded;
  const e = decoded.value;
  if (typeof e !== 'object' || e === null || Array.isArray(e)) return err('event is not an object');
  const keys = Object.keys(e).sort();
  if (keys.join() !== EVENT_FIELDS.join()) return err('event fields are wrong');
  if (e.v !== 1) return err('unknown event version');
  if (!isEventKind(e.kind)) return err('unknown event kind');
  if (typeof e.community !== 'string' || !isBase64urlOfLength(e.community, 32))
    return err('community is malformed');
  if (!isBase64urlOfLength(e.author, 32)) return err('author is malformed');
  if (!isBase64urlOfLength(e.session, SESSION_BYTES)) return err('session is malformed');
  if (!Number.isSafeInteger(e.at) || (e.at as number) < 0) return err('time is malformed');
  const deps = e.deps;
  if (!Array.isArray(deps) || deps.length > LIMITS.deps) return err('deps are malformed');
  if (!deps.every((d) => isBase64urlOfLength(d, 32)) || new Set(deps).size !== deps.length)
    return err('deps are malformed');
  const y = e.y;
  if (
    !Array.isArray(y) ||
    y.length !== 2 ||
    !y.every((n) => Number.isSafeInteger(n) && (n as number) >= 0)
  )
    return err('position is malformed');
  const body = validateBody(e.kind, e.body);
  if (!body.ok) return err(`${e.kind}: ${body.error}`);
  return ok(e as unknown as AnyEvent);
}

const utf8 = new TextDecoder();

/**
 * Events read back out of the community doc, without proving again what ingest proved. Every
 * entry in the doc's events map was checked in full before it got there: a remote update by
 * validate-update.ts, an import by the same, our own events by being signed from typed values.
 * The doc's stored copy is IndexedDB, which only this origin's code can write; code that could
 * write it could as well sign as us, so it is inside the trust boundary, and re-proving each
 * event's canonical form on every open (two thirds of a cold open at 10,000 events) buys
 * nothing. Only an unknown kind is refused (null): a row written by a newer build of Moot, which
 * this build's reducer has no rule for. A build that tightens a body rule must re-check stored
 * events itself.
 *
 * All rows are decoded and parsed as one JSON array: Chromium's TextDecoder costs a few µs per
 * call, more than decoding a whole event, so 10,000 calls took longer than the Yjs load itself.
 * Canonical JSON is one value per row, so joining rows with commas cannot merge two of them;
 * if the whole does not parse (a damaged row), each row is read on its own.
 */
export function readStoredEvents(rows: readonly Uint8Array[]): (AnyEvent | null)[] {
  if (rows.length === 0) return [];
  const joined = new Uint8Array(rows.reduce((sum, row) => sum + row.length + 1, 1));
  let at = 0;
  for (const row of rows) {
    joined[at++] = COMMA;
    joined.set(row, at);
    at += row.length;
  }
  joined[0] = OPEN_BRACKET;
  joined[at] = CLOSE_BRACKET;
  const all = parseJson(joined);
  if (!Array.isArray(all) || all.length !== rows.length)
    return rows.map((r) => knownKind(parseJson(r)));
  return all.map(knownKind);
}

const [OPEN_BRACKET, COMMA, CLOSE_BRACKET] = [0x5b, 0x2c, 0x5d];

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(utf8.decode(bytes));
  } catch {
    return undefined;
  }
}

const knownKind = (value: unknown): AnyEvent | null =>
  typeof value === 'object' && value !== null && isEventKind((value as AnyEvent).kind)
    ? (value as AnyEvent)
    : null;

/**
 * SHA-256 in JS (lib0, Yjs' own dependency), not WebCrypto: for an event-sized input the hash
 * takes microseconds, less than a WebCrypto round trip, and leaves WebCrypto's threads to the
 * signature checks that ingest runs beside it. The same digest either way.
 */
export async function computeEventId(bytes: Uint8Array): Promise<EventId> {
  return toBase64url(digest(bytes)) as EventId;
}

export async function signEvent(identity: Identity, event: AnyEvent): Promise<SignedEvent> {
  const bytes = encodeCanonical(event as unknown as Record<string, unknown>);
  const sig = await sign(identity.privateKey, bytes);
  return { id: await computeEventId(bytes), event, bytes, sig };
}

/** A session writes many events: its clientID is hashed once (bounded; cleared when full). */
const clientIds = new Map<string, Promise<number>>();
const CLIENT_IDS_MAX = 16_384;

function sessionClientId(author: MemberId, session: string): Promise<number> {
  const key = `${author}.${session}`;
  let id = clientIds.get(key);
  if (!id) {
    if (clientIds.size >= CLIENT_IDS_MAX) clientIds.clear();
    id = deriveClientId(fromBase64url(author)!, fromBase64url(session)!);
    clientIds.set(key, id);
  }
  return id;
}

/**
 * Full check of one stored event: structure, signature, and that `y` names a position its
 * author may write at. The caller checks that the position matches where the event was found.
 */
export async function verifyEvent(
  bytes: Uint8Array,
  sig: Uint8Array,
): Promise<Result<SignedEvent>> {
  const parsed = parseEvent(bytes);
  if (!parsed.ok) return parsed;
  const event = parsed.value;
  // Started before the first await, so an engine that verifies on another thread overlaps it
  // with parsing the next event (Chromium verifies on this one: validate-pool.ts splits instead).
  const signature = verifySignature(fromBase64url(event.author)!, bytes, sig);
  if ((await sessionClientId(event.author, event.session)) !== event.y[0])
    return err('position is not bound to the author');
  if (!(await signature)) return err('bad signature');
  if (event.kind === 'member.join' && !(await verifyJoinProof(event)))
    return err('join is not counter-signed by its invite');
  if (event.kind === 'device.add' && !(await verifyDeviceProof(event)))
    return err('device is not counter-signed by its link');
  if (
    event.kind === 'community.create' &&
    (await deriveCommunityId(event.author, event.body.nonce)) !== event.community
  )
    return err('community was not founded by this author');
  return ok({ id: await computeEventId(bytes), event, bytes, sig });
}
