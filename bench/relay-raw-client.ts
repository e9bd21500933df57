/**
 * A WebSocket subscriber that only counts the frames it receives. The benchmark's receivers
 * must cost less than the relay they measure; a full ws client per receiver would make the
 * load generator, not the relay, the bottleneck on a small machine.
 */
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

export class CountingClient {
  frames = 0;
  private header: number[] = [];
  private skip = 0;
  private small: number[] | null = null;
  private readonly waiters: Array<() => void> = [];

  private constructor(private readonly socket: Socket) {}

  static open(wsUrl: string): Promise<CountingClient> {
    const url = new URL(wsUrl);
    return new Promise((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname);
      socket.setNoDelay(true);
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.write(
          `GET ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\n` +
            `Connection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n` +
            'Sec-WebSocket-Version: 13\r\n\r\n',
        );
      });
      let head = Buffer.alloc(0);
      const onHandshake = (chunk: Buffer) => {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        socket.off('data', onHandshake);
        if (!head.subarray(0, 12).toString().includes('101')) {
          reject(new Error(`handshake refused: ${head.subarray(0, end).toString()}`));
          socket.destroy();
          return;
        }
        const client = new CountingClient(socket);
        socket.on('data', (data: Buffer) => client.read(data));
        socket.on('error', () => {});
        const rest = head.subarray(end + 4);
        if (rest.length > 0) client.read(rest);
        resolve(client);
      };
      socket.on('data', onHandshake);
    });
  }

  /** Sends a text frame (masked, as clients must). */
  send(text: string): void {
    const payload = Buffer.from(text);
    const mask = randomBytes(4);
    const length = payload.length;
    const header =
      length < 126
        ? Buffer.from([0x81, 0x80 | length])
        : Buffer.from([0x81, 0x80 | 126, length >> 8, length & 0xff]);
    for (let i = 0; i < length; i++) payload[i]! ^= mask[i & 3]!;
    this.socket.write(Buffer.concat([header, mask, payload]));
  }

  /** Sends a ping message and resolves on the pong: everything sent before has been handled. */
  settle(): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.send('{"type":"ping"}');
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private read(data: Buffer): void {
    let offset = 0;
    while (offset < data.length) {
      if (this.skip > 0) {
        const take = Math.min(this.skip, data.length - offset);
        if (this.small) this.small.push(...data.subarray(offset, offset + take));
        this.skip -= take;
        offset += take;
        if (this.skip === 0 && this.small) this.smallFrameDone();
        continue;
      }
      // Frame header: 2 bytes, plus 2 or 8 of extended length (server frames are unmasked).
      this.header.push(data[offset++]!);
      if (this.header.length < 2) continue;
      const len7 = this.header[1]! & 0x7f;
      const need = len7 === 126 ? 4 : len7 === 127 ? 10 : 2;
      if (this.header.length < need) continue;
      let length = len7;
      if (len7 === 126) length = (this.header[2]! << 8) | this.header[3]!;
      if (len7 === 127) length = Number(Buffer.from(this.header.slice(2)).readBigUInt64BE(0));
      this.header = [];
      this.frames += 1;
      this.skip = length;
      // Only settle() needs to look inside a frame, and a pong is tiny.
      this.small = this.waiters.length > 0 && length < 32 ? [] : null;
      if (length === 0 && this.small) this.smallFrameDone();
    }
  }

  private smallFrameDone(): void {
    if (Buffer.from(this.small!).toString().includes('"pong"')) {
      this.frames -= 1;
      this.waiters.shift()?.();
    }
    this.small = null;
  }
}
