/**
 * Fan-out frames, encoded once. ws frames and writes each send separately (a header
 * allocation, cork, two writes, uncork per receiver); a publish to N subscribers would pay that
 * N times for identical bytes. Server-to-client frames are unmasked (RFC 6455 §5.1), so one
 * encoded frame is valid for every receiver and goes to each socket with a single write.
 *
 * Safe only because the relay never enables permessage-deflate and never sends Blobs: then ws
 * writes every frame synchronously to the socket, so a raw write cannot overtake or split one of
 * ws's own frames (pongs, errors, pings, close).
 */
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';

/** One complete, final, unmasked text frame carrying `payload`. */
export function encodeTextFrame(payload: Buffer): Buffer {
  const length = payload.length;
  let header: Buffer;
  if (length < 126) {
    header = Buffer.from([0x81, length]);
  } else if (length < 0x10000) {
    header = Buffer.from([0x81, 126, length >> 8, length & 0xff]);
  } else {
    header = Buffer.alloc(10);
    header[0] = 0x81;
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  return Buffer.concat([header, payload]);
}

/**
 * Writes encoded frames, coalescing everything one receiver gets within one turn of the event
 * loop into one syscall: the socket is corked on its first frame and uncorked in setImmediate,
 * after the relay has handled every frame that arrived in that turn. A burst (an announce
 * followed by offers and candidates) then costs each receiver one write instead of one per frame.
 */
export class FrameWriter {
  /** Sockets corked in this turn, and the bytes written to each since. */
  private readonly corked = new Map<Socket, number>();
  private scheduled = false;

  /**
   * Bytes this receiver has not taken from earlier turns. What was corked in this turn is not
   * a backlog yet: it has not even been offered to the kernel.
   */
  backlog(ws: WebSocket): number {
    const socket = (ws as unknown as { _socket?: Socket })._socket;
    return ws.bufferedAmount - ((socket && this.corked.get(socket)) ?? 0);
  }

  write(ws: WebSocket, frame: Buffer, payload: Buffer): void {
    const socket = (ws as unknown as { _socket?: Socket })._socket;
    if (!socket || typeof socket.cork !== 'function') {
      // ws internals moved: stay correct, if slower.
      ws.send(payload, { binary: false });
      return;
    }
    const corked = this.corked.get(socket);
    if (corked === undefined) {
      socket.cork();
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(this.flush);
      }
    }
    this.corked.set(socket, (corked ?? 0) + frame.length);
    socket.write(frame);
  }

  private readonly flush = (): void => {
    this.scheduled = false;
    for (const socket of this.corked.keys()) socket.uncork();
    this.corked.clear();
  };
}
