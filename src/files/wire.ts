/**
 * Messages of the block protocol, sent on the mesh's `blocks` channel. Binary, because a
 * block is a megabyte: [type u8][file id 32 bytes][...]. Everything a peer sends is parsed
 * with its lengths checked; anything malformed is an error and costs that peer its connection.
 *
 *   HELLO      []                       "tell me what you have" (sent on admission)
 *   HAVE       [file][count u32][bits]  the sender's bitfield for one file
 *   HAVE_ONE   [file][index u32]        the sender just stored one more block
 *   REQUEST    [file][index u32]        please send this block
 *   BLOCK      [file][index u32][data]  a requested block
 *   DONT_HAVE  [file][index u32]        a request the sender cannot serve (freed, paused)
 */
import { fromBase64url, toBase64url } from '../shared/base64url';
import type { EventId } from '../shared/ids';
import { err, ok, type Result } from '../shared/result';
import { Bitfield } from './bitfield';

export type WireMessage =
  | { type: 'hello' }
  | { type: 'have'; file: EventId; bits: Bitfield }
  | { type: 'have-one'; file: EventId; index: number }
  | { type: 'request'; file: EventId; index: number }
  | { type: 'block'; file: EventId; index: number; data: Uint8Array }
  | { type: 'dont-have'; file: EventId; index: number };

const TYPES = ['hello', 'have', 'have-one', 'request', 'block', 'dont-have'] as const;
const ID_BYTES = 32;
const HEAD = 1 + ID_BYTES;

export function encode(message: WireMessage): Uint8Array {
  const code = TYPES.indexOf(message.type);
  if (message.type === 'hello') return Uint8Array.of(code);
  const id = fromBase64url(message.file);
  if (id === null || id.length !== ID_BYTES) throw new Error('file id is not 32 bytes');
  const tail =
    message.type === 'have'
      ? message.bits.bytes.length
      : message.type === 'block'
        ? message.data.length
        : 0;
  const out = new Uint8Array(HEAD + 4 + tail);
  out[0] = code;
  out.set(id, 1);
  const view = new DataView(out.buffer);
  if (message.type === 'have') {
    view.setUint32(HEAD, message.bits.size);
    out.set(message.bits.bytes, HEAD + 4);
  } else {
    view.setUint32(HEAD, message.index);
    if (message.type === 'block') out.set(message.data, HEAD + 4);
  }
  return out;
}

/** `maxBlocks` bounds a HAVE's claimed count before a bitfield is allocated for it. */
export function decode(bytes: Uint8Array, maxBlocks: number): Result<WireMessage> {
  const type = TYPES[bytes[0] ?? 255];
  if (type === undefined) return err('unknown block message');
  if (type === 'hello') return bytes.length === 1 ? ok({ type }) : err('malformed hello');
  if (bytes.length < HEAD + 4) return err('block message too short');
  const file = toBase64url(bytes.subarray(1, HEAD)) as EventId;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getUint32(HEAD);
  const rest = bytes.subarray(HEAD + 4);
  switch (type) {
    case 'have':
      if (n === 0 || n > maxBlocks) return err('bitfield of an impossible size');
      if (rest.length !== Bitfield.byteLength(n)) return err('bitfield length mismatch');
      return ok({ type, file, bits: new Bitfield(n, rest) });
    case 'block':
      return ok({ type, file, index: n, data: rest });
    default:
      return rest.length === 0 ? ok({ type, file, index: n }) : err(`malformed ${type}`);
  }
}
