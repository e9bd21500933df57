/**
 * A decode budget for remote Yjs updates (THREATS.md line 11, Yjs issue 687).
 *
 * `Y.decodeUpdate` and `Y.applyUpdate` build one JS object per struct, per content value, and a
 * whole `Y.Doc` per subdocument, so a small update can cost far more than its size: measured on
 * yjs 13.6, 1 MB of 2-byte GC structs takes ~2 s to decode and 1 MB of 7-byte subdocs ~15 s and
 * 345 MB. With the 64 MiB update cap that is minutes of a frozen page.
 *
 * `prescanUpdate` walks the V1 encoding with plain cursor reads, allocating nothing per struct,
 * and counts what Yjs would build. It rejects an update whose count, run lengths, nesting or
 * scan time pass the budget, before Yjs ever sees it. It also returns the clock ranges the update
 * covers, which gossip uses to skip updates we already hold without validating them again.
 */
import { ByteCursor, CursorError } from '../shared/byte-cursor';
import { err, ok, type Result } from '../shared/result';

export interface DecodeBudget {
  /** Objects Yjs would create (structs, content values, delete ranges; a subdoc counts 1,000). */
  maxObjects: number;
  /** A clock may not pass this: a "run" claiming billions of items is a lie. */
  maxClock: number;
  /** Nesting of `any` values (arrays/objects in content). */
  maxDepth: number;
  /** Wall-clock time for the scan itself. */
  maxScanMs: number;
}

/**
 * An honest Moot event costs ~4 objects for ≥ 200 bytes, so a 64 MiB doc stays under 1.5 M.
 * Yjs decodes ~300 k plain structs per second here, so this also bounds a hostile decode to a
 * few seconds at worst, against minutes without it.
 */
export const DEFAULT_DECODE_BUDGET: DecodeBudget = {
  maxObjects: 1_500_000,
  maxClock: 2 ** 32,
  maxDepth: 32,
  maxScanMs: 1_000,
};

/** Structs of one client, as clock ranges. Skips (gaps in merged updates) are left out. */
export interface ClockRange {
  client: number;
  clock: number;
  length: number;
}

export interface UpdateShape {
  ranges: ClockRange[];
  /** Delete-set ranges. */
  deletes: number;
  objects: number;
}

/** A subdoc is a whole Y.Doc (maps, observers, a random clientID): price it like many structs. */
const SUBDOC_COST = 1_000;
const TYPE_COST = 8;

class Scan extends ByteCursor {
  objects = 0;
  private steps = 0;
  private readonly deadline: number;
  constructor(
    bytes: Uint8Array,
    private readonly budget: DecodeBudget,
  ) {
    super(bytes);
    this.deadline = performance.now() + budget.maxScanMs;
  }

  /** Charges `n` objects and checks the time every few thousand steps. */
  charge(n: number): void {
    this.objects += n;
    if (this.objects > this.budget.maxObjects) this.fail('update decodes to too many objects');
    if (++this.steps % 4096 === 0 && performance.now() > this.deadline)
      this.fail('update takes too long to decode');
  }

  /** An item id: client, clock. */
  id(): void {
    this.varUint();
    this.clock(this.varUint());
  }

  clock(value: number): number {
    if (value > this.budget.maxClock) this.fail('update claims a huge run');
    return value;
  }

  /** lib0 `readAny`, skipped; returns nothing, charges one object per value. */
  any(depth: number): void {
    if (depth > this.budget.maxDepth) this.fail('update nests too deeply');
    this.charge(1);
    const tag = this.u8();
    switch (tag) {
      case 127: // undefined
      case 126: // null
      case 121: // false
      case 120: // true
        return;
      case 125:
        return this.skipVarInt();
      case 124:
        return this.skip(4);
      case 123:
      case 122:
        return this.skip(8);
      case 119: // string
      case 116: // Uint8Array
        this.varBytes();
        return;
      case 118: {
        const n = this.varUint();
        for (let i = 0; i < n; i++) {
          this.varBytes();
          this.any(depth + 1);
        }
        return;
      }
      case 117: {
        const n = this.varUint();
        for (let i = 0; i < n; i++) this.any(depth + 1);
        return;
      }
      default:
        this.fail('unknown value type');
    }
  }
}

const utf16 = new TextDecoder();

/** Item content (yjs `contentRefs`); returns the item's length in clock units. */
function content(scan: Scan, ref: number): number {
  switch (ref) {
    case 1: // deleted
      return scan.clock(scan.varUint());
    case 2: {
      // JSON: n strings
      const n = scan.clock(scan.varUint());
      for (let i = 0; i < n; i++) {
        scan.charge(1);
        scan.varBytes();
      }
      return n;
    }
    case 3: // binary
    case 5: // embed (JSON string)
      scan.varBytes();
      return 1;
    case 4: // A string's clock length is its UTF-16 length.
      return utf16.decode(scan.varBytes()).length;
    case 6: // format: key, JSON
      scan.varBytes();
      scan.varBytes();
      return 1;
    case 7: {
      scan.charge(TYPE_COST);
      const typeRef = scan.varUint();
      if (typeRef > 6) scan.fail('unknown type');
      if (typeRef === 3 || typeRef === 5) scan.varBytes(); // XML element / hook name
      return 1;
    }
    case 8: {
      const n = scan.clock(scan.varUint());
      for (let i = 0; i < n; i++) scan.any(0);
      return n;
    }
    case 9: // subdoc: guid, options
      scan.charge(SUBDOC_COST);
      scan.varBytes();
      scan.any(0);
      return 1;
    default:
      return scan.fail('unknown content type');
  }
}

function structs(scan: Scan, ranges: ClockRange[]): void {
  const clients = scan.varUint();
  for (let c = 0; c < clients; c++) {
    const count = scan.varUint();
    const client = scan.varUint();
    let clock = scan.clock(scan.varUint());
    let rangeStart = clock;
    for (let i = 0; i < count; i++) {
      scan.charge(1);
      const info = scan.u8();
      const ref = info & 0x1f;
      if (ref === 0 || ref === 10) {
        const length = scan.clock(scan.varUint());
        if (ref === 10) {
          // A skip is a gap: close the range before it, start a new one after.
          if (clock > rangeStart)
            ranges.push({ client, clock: rangeStart, length: clock - rangeStart });
          clock = scan.clock(clock + length);
          rangeStart = clock;
          continue;
        }
        clock = scan.clock(clock + length);
        continue;
      }
      if (info & 0x80) scan.id(); // origin
      if (info & 0x40) scan.id(); // right origin
      if ((info & 0xc0) === 0) {
        // Parent: a root key, or the id of the item holding the type.
        if (scan.varUint() === 1) scan.varBytes();
        else scan.id();
        if (info & 0x20) scan.varBytes(); // parentSub
      }
      clock = scan.clock(clock + content(scan, ref));
    }
    if (clock > rangeStart) ranges.push({ client, clock: rangeStart, length: clock - rangeStart });
  }
}

function deleteSet(scan: Scan): number {
  let deletes = 0;
  const clients = scan.varUint();
  for (let c = 0; c < clients; c++) {
    scan.varUint(); // client
    const n = scan.varUint();
    for (let i = 0; i < n; i++) {
      scan.charge(1);
      const clock = scan.clock(scan.varUint());
      scan.clock(clock + scan.varUint());
      deletes++;
    }
  }
  return deletes;
}

/** Checks a V1 update against the budget without building it. */
export function prescanUpdate(
  update: Uint8Array,
  budget: DecodeBudget = DEFAULT_DECODE_BUDGET,
): Result<UpdateShape> {
  const scan = new Scan(update, budget);
  const ranges: ClockRange[] = [];
  try {
    structs(scan, ranges);
    const deletes = deleteSet(scan);
    return ok({ ranges, deletes, objects: scan.objects });
  } catch (e) {
    if (e instanceof CursorError) return err(e.message);
    if (e instanceof RangeError) return err('update nests too deeply');
    throw e;
  }
}

/** True when we already hold every struct the update carries and it deletes nothing. */
export function alreadyHeld(shape: UpdateShape, stateOf: (client: number) => number): boolean {
  if (shape.deletes > 0) return false;
  return shape.ranges.every((r) => r.clock + r.length <= stateOf(r.client));
}
