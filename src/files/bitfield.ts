/** Which blocks of a file someone holds: one bit per block, most significant bit first. */
export class Bitfield {
  readonly bytes: Uint8Array;

  constructor(
    readonly size: number,
    bytes?: Uint8Array,
  ) {
    this.bytes = new Uint8Array(Math.ceil(size / 8));
    if (bytes !== undefined) {
      this.bytes.set(bytes.subarray(0, this.bytes.length));
      this.clearTail();
    }
  }

  /** The exact byte length a bitfield of `size` bits has on the wire. */
  static byteLength(size: number): number {
    return Math.ceil(size / 8);
  }

  has(index: number): boolean {
    return (
      index >= 0 && index < this.size && (this.bytes[index >> 3]! & (0x80 >> (index & 7))) !== 0
    );
  }

  set(index: number, on = true): void {
    if (index < 0 || index >= this.size) return;
    if (on) this.bytes[index >> 3]! |= 0x80 >> (index & 7);
    else this.bytes[index >> 3]! &= ~(0x80 >> (index & 7));
  }

  count(): number {
    let n = 0;
    for (let i = 0; i < this.size; i++) if (this.has(i)) n++;
    return n;
  }

  complete(): boolean {
    return this.count() === this.size;
  }

  setAll(): this {
    this.bytes.fill(0xff);
    this.clearTail();
    return this;
  }

  /** Bits past `size` in the last byte are padding and always zero. */
  private clearTail(): void {
    const extra = this.bytes.length * 8 - this.size;
    if (extra > 0) this.bytes[this.bytes.length - 1]! &= 0xff << extra;
  }
}
