/**
 * Who may open a WebSocket: the path, the Origin allowlist, the total and per-address caps.
 * Refusals are answered with a plain HTTP status before any WebSocket state exists.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { RelayOptions } from './config';
import { SIGNAL_PATH } from './http';
import type { UpgradeRefusal } from './metrics';

export interface Refusal {
  reason: UpgradeRefusal;
  status: string;
  address?: string;
}

export class Admission {
  private readonly perAddress = new Map<string, number>();

  constructor(
    private readonly options: Pick<RelayOptions, 'allowedOrigins' | 'trustProxy' | 'limits'>,
  ) {}

  check(req: IncomingMessage, openConnections: number, shuttingDown: boolean): Refusal | null {
    if (pathOf(req.url) !== SIGNAL_PATH) return { reason: 'bad_path', status: '404 Not Found' };
    if (shuttingDown) return { reason: 'shutting_down', status: '503 Service Unavailable' };
    const { allowedOrigins, limits } = this.options;
    const address = this.addressOf(req);
    if (allowedOrigins && !allowedOrigins.includes(req.headers.origin ?? '')) {
      return { reason: 'origin_not_allowed', status: '403 Forbidden', address };
    }
    if (openConnections >= limits.maxConnections) {
      return { reason: 'too_many_connections', status: '503 Service Unavailable', address };
    }
    if ((this.perAddress.get(address) ?? 0) >= limits.maxConnectionsPerAddress) {
      return { reason: 'too_many_from_address', status: '429 Too Many Requests', address };
    }
    return null;
  }

  /** The socket's peer, or behind a trusted proxy the address that proxy appended. */
  addressOf(req: IncomingMessage): string {
    let address = req.socket.remoteAddress ?? 'unknown';
    if (this.options.trustProxy) {
      const forwarded = req.headers['x-forwarded-for'];
      const last = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? ''))
        .split(',')
        .pop()
        ?.trim();
      if (last) address = last;
    }
    return address.startsWith('::ffff:') ? address.slice(7) : address;
  }

  opened(address: string): void {
    this.perAddress.set(address, (this.perAddress.get(address) ?? 0) + 1);
  }

  closed(address: string): void {
    const left = (this.perAddress.get(address) ?? 1) - 1;
    if (left > 0) this.perAddress.set(address, left);
    else this.perAddress.delete(address);
  }
}

/** Answers and closes; a peer that never reads or closes is cut after a second. */
export function refuse(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  setTimeout(() => socket.destroy(), 1_000).unref();
}

function pathOf(url: string | undefined): string {
  try {
    return new URL(url ?? '/', 'http://relay.invalid').pathname;
  } catch {
    return '';
  }
}
