/**
 * A cold open's first step (docs/governance.md, "Cold open"): the events map's entries read
 * straight out of the stored Yjs updates, without building a Y.Doc. Building one (Y.applyUpdate)
 * makes an object per struct and decodes every key with a TextDecoder call; this walks the V1
 * encoding with a cursor and takes only what the state is derived from, so a member sees the
 * state first and the doc that syncs with peers loads the same rows right after.
 *
 * It must find exactly the entries the doc's map would hold, or nothing. So it reads only the
 * plain shape Moot's own doc has — root-map entries written once each, contiguous clocks from 0
 * for every client — and returns null for anything else (an overwrite, a nested type, a gap,
 * another kind of content, a deleted entry): the caller then loads the doc first, as any Yjs app.
 */
import { ByteCursor, CursorError } from '../shared/byte-cursor';
import type { EventId } from '../shared/ids';
import { EVENTS_MAP, type StoredEvent } from './validate-update';

export interface StoredEntries {
  /** An id may come twice when rows overlap: the same entry both times. */
  ids: EventId[];
  /** The value stored under ids[i], when it has the shape of one (else the doc's reader skips it). */
  values: (StoredEvent | null)[];
}

class Cursor extends ByteCursor {
  /**
   * A string. Yjs decodes each with a TextDecoder call, which costs microseconds in Chromium:
   * more than the rest of an entry. The few short keys Moot's doc repeats are matched as bytes.
   */
  string(): string {
    const bytes = this.varBytes();
    for (const known of KNOWN) if (sameBytes(bytes, known.bytes)) return known.text;
    return utf8.decode(bytes);
  }

  /**
   * The value as Moot writes it — an object of two Uint8Arrays, `event` then `sig` — read
   * without the generic path; null (and the cursor where it was) for anything else.
   */
  storedEvent(): StoredEvent | null {
    const at = this.pos;
    const b = this.bytes;
    if (b[at] === 118 && b[at + 1] === 2 && this.matches(at + 2, EVENT_KEY)) {
      this.pos = at + 2 + EVENT_KEY.length;
      if (this.u8() === 116) {
        const event = this.varBytes();
        if (this.matches(this.pos, SIG_KEY)) {
          this.pos += SIG_KEY.length;
          if (this.u8() === 116) return { event, sig: this.varBytes() };
        }
      }
    }
    this.pos = at;
    return null;
  }

  /** Whether `expected` (a length byte and ASCII) stands at `at`. */
  private matches(at: number, expected: Uint8Array): boolean {
    for (let i = 0; i < expected.length; i++) if (this.bytes[at + i] !== expected[i]) return false;
    return true;
  }

  /** lib0 `readAny`, as Yjs stores a map value; Uint8Arrays are views into the row, as in Yjs. */
  any(depth = 0): unknown {
    if (depth > 32) this.fail('update nests too deeply');
    const tag = this.u8();
    switch (tag) {
      case 127:
        return undefined;
      case 126:
        return null;
      case 121:
        return false;
      case 120:
        return true;
      case 125: // signed varint: never part of a stored event, only stepped over
        this.skipVarInt();
        return NaN;
      case 124:
        this.skip(4);
        return NaN;
      case 123:
      case 122:
        this.skip(8);
        return NaN;
      case 119:
        return this.string();
      case 116:
        return this.varBytes();
      case 118: {
        const object: Record<string, unknown> = {};
        for (let n = this.varUint(); n > 0; n--) {
          const key = this.string();
          object[key] = this.any(depth + 1);
        }
        return object;
      }
      case 117: {
        const array: unknown[] = [];
        for (let n = this.varUint(); n > 0; n--) array.push(this.any(depth + 1));
        return array;
      }
      default:
        return this.fail('unknown value type');
    }
  }
}

const utf8 = new TextDecoder();
/** A lib0 string as written: its length (one byte, below 128) and its ASCII bytes. */
const lengthPrefixed = (text: string) =>
  new Uint8Array([text.length, ...new TextEncoder().encode(text)]);
const EVENT_KEY = lengthPrefixed('event');
const SIG_KEY = lengthPrefixed('sig');
const KNOWN = [EVENTS_MAP, 'event', 'sig'].map((text) => ({
  text,
  bytes: new TextEncoder().encode(text),
}));

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The events map's keys (event ids), decoded in one TextDecoder call instead of one each.
 * Base64url ids are ASCII, where a byte is a character, so each key is a slice of the whole.
 */
function decodeKeys(found: Found): string[] {
  const { rows, row, start, end } = found;
  let total = 0;
  for (let i = 0; i < start.length; i++) total += end[i]! - start[i]!;
  const joined = new Uint8Array(total);
  let high = 0;
  for (let i = 0, at = 0; i < start.length; i++) {
    const bytes = rows[row[i]!]!;
    for (let b = start[i]!, e = end[i]!; b < e; b++) high |= joined[at++] = bytes[b]!;
  }
  if (high >= 0x80) return start.map((s, i) => utf8.decode(rows[row[i]!]!.subarray(s, end[i])));
  const text = utf8.decode(joined);
  const keys = new Array<string>(start.length);
  for (let i = 0, at = 0; i < start.length; i++) {
    const length = end[i]! - start[i]!;
    keys[i] = text.slice(at, at + length);
    at += length;
  }
  return keys;
}

/** The same value, if it has the shape of a stored event: what the doc's reader takes. */
const asStoredEvent = (value: unknown): StoredEvent | null => {
  const v = value as Partial<StoredEvent> | null;
  return typeof v === 'object' && v?.event instanceof Uint8Array && v.sig instanceof Uint8Array
    ? (v as StoredEvent)
    : null;
};

/** The entries found, as columns: the key's bytes (rows[row[i]] from start[i] to end[i]) … */
interface Found {
  rows: readonly Uint8Array[];
  row: number[];
  start: number[];
  end: number[];
  /** … and the position it is stored at, and its value. */
  client: number[];
  clock: number[];
  value: (StoredEvent | null)[];
}

/** The events map's entries in `rows` (one Yjs V1 update each), or null if they are not plain. */
export function entriesInUpdates(rows: readonly Uint8Array[]): StoredEntries | null {
  const found: Found = { rows, row: [], start: [], end: [], client: [], clock: [], value: [] };
  /** Clock ranges [start, end) seen per client, to prove no struct is missing (pending). */
  const ranges = new Map<number, [number, number][]>();
  /** The delete sets' ranges per client: none may hold an entry of the events map. */
  const deleted = new Map<number, [number, number][]>();
  try {
    for (const [index, row] of rows.entries()) {
      const cursor = new Cursor(row);
      if (!readStructs(cursor, index, found, ranges)) return null;
      readDeleteSet(cursor, deleted);
      if (cursor.pos !== row.length) return null;
    }
  } catch (e) {
    if (e instanceof CursorError) return null;
    throw e;
  }
  for (const spans of ranges.values()) if (!contiguousFromZero(spans)) return null;
  if (found.client.some((client, i) => isDeleted(deleted, client, found.clock[i]!))) return null;
  // Rows may overlap, so a key may come twice: the same entry, since a stored entry's key is
  // its event's hash and its position is named in the event (validate-update.ts). The reader
  // keeps the first.
  return { ids: decodeKeys(found) as EventId[], values: found.value };
}

const isDeleted = (deleted: Map<number, [number, number][]>, client: number, clock: number) =>
  deleted.size > 0 && deleted.get(client)?.some(([from, to]) => clock >= from && clock < to);

function readStructs(
  cursor: Cursor,
  row: number,
  found: Found,
  ranges: Map<number, [number, number][]>,
): boolean {
  for (let clients = cursor.varUint(); clients > 0; clients--) {
    const count = cursor.varUint();
    const client = cursor.varUint();
    const start = cursor.varUint();
    let clock = start;
    for (let i = 0; i < count; i++) {
      const info = cursor.u8();
      const ref = info & 0x1f;
      if (ref === 0) {
        // Garbage collected: a deleted item of no key any more, so of no entry in the map.
        clock += cursor.varUint();
        continue;
      }
      // A skip is a gap (a struct this row does not hold); origins mean an overwrite or a
      // list; a parent given by id is a nested type. None is in the plain shape.
      if (ref === 10 || (info & 0xc0) !== 0) return false;
      const rootParent = cursor.varUint() === 1;
      if (!rootParent) return false;
      const parent = cursor.string();
      const key = info & 0x20 ? cursor.skipVarBytes() : -1;
      const keyEnd = cursor.pos;
      if (ref === 1) {
        // Deleted content under a key of the events map: the entry is gone, not plain.
        const length = cursor.varUint();
        if (parent === EVENTS_MAP) return false;
        clock += length;
        continue;
      }
      if (ref !== 8) return false;
      const length = cursor.varUint();
      if (parent === EVENTS_MAP && key >= 0) {
        if (length !== 1) return false;
        found.row.push(row);
        found.start.push(key);
        found.end.push(keyEnd);
        found.client.push(client);
        found.clock.push(clock);
        found.value.push(cursor.storedEvent() ?? asStoredEvent(cursor.any()));
      } else for (let n = 0; n < length; n++) cursor.any();
      clock += length;
    }
    push(ranges, client, [start, clock]);
  }
  return true;
}

function readDeleteSet(cursor: Cursor, deleted: Map<number, [number, number][]>): void {
  for (let clients = cursor.varUint(); clients > 0; clients--) {
    const client = cursor.varUint();
    for (let n = cursor.varUint(); n > 0; n--) {
      const from = cursor.varUint();
      push(deleted, client, [from, from + cursor.varUint()]);
    }
  }
}

function push(spans: Map<number, [number, number][]>, client: number, span: [number, number]) {
  const list = spans.get(client);
  if (list) list.push(span);
  else spans.set(client, [span]);
}

function contiguousFromZero(spans: [number, number][]): boolean {
  spans.sort((a, b) => a[0] - b[0]);
  let reached = 0;
  for (const [from, to] of spans) {
    if (from > reached) return false;
    reached = Math.max(reached, to);
  }
  return true;
}
