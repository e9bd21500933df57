/**
 * A read position in lib0-encoded bytes (what Yjs writes): the primitives both walkers of Yjs
 * updates share — the decode budget's pre-scan (mesh/decode-budget.ts) and the cold open's
 * reader of stored events (community/stored-updates.ts). Every read is bounds-checked and fails
 * with a CursorError, never with a wrong value.
 */
export class CursorError extends Error {}

export class ByteCursor {
  pos = 0;
  constructor(protected readonly bytes: Uint8Array) {}

  fail(reason: string): never {
    throw new CursorError(reason);
  }

  u8(): number {
    if (this.pos >= this.bytes.length) this.fail('update ends early');
    return this.bytes[this.pos++]!;
  }

  /** lib0 varUint, refused past 2^53 rather than rounded. */
  varUint(): number {
    let num = 0;
    let mult = 1;
    for (;;) {
      const byte = this.u8();
      num += (byte & 0x7f) * mult;
      if (byte < 0x80) return num;
      mult *= 128;
      if (num > Number.MAX_SAFE_INTEGER || mult > 2 ** 56) this.fail('number out of range');
    }
  }

  /** Signed varint (lib0 writeVarInt): only stepped over. */
  skipVarInt(): void {
    for (let i = 0; i < 10; i++) if (this.u8() < 0x80) return;
    this.fail('number out of range');
  }

  skip(n: number): void {
    if (n > this.bytes.length - this.pos) this.fail('update ends early');
    this.pos += n;
  }

  /** Steps over a length-prefixed run of bytes; returns where it starts. */
  skipVarBytes(): number {
    const n = this.varUint();
    this.skip(n);
    return this.pos - n;
  }

  /** A length-prefixed run of bytes, as a view into the input (as lib0 gives it). */
  varBytes(): Uint8Array {
    const start = this.skipVarBytes();
    return this.bytes.subarray(start, this.pos);
  }
}
