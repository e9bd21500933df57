/**
 * One WebSocket to one signaling relay, kept alive: subscribe on open, ping every 20 s and call
 * the relay dead when nothing came back, reconnect with exponential backoff and jitter, and
 * re-subscribe after every reconnect. The relay is untrusted: whatever it sends (binary, bad
 * JSON, wrong shapes, huge frames) is dropped here and never throws out.
 */
import type { ClientMessage } from '../shared/signal-protocol';

/** The part of the WebSocket API used here; the browser's and `ws`'s both fit. */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}
export type WebSocketConstructor = new (url: string) => WebSocketLike;

export interface SignalingClientOptions {
  url: string;
  /**
   * A publish on a subscribed topic. `data` is untrusted. `reach`: the fraction of the topic's
   * subscribers a sampled publish went to (1 when the relay sent it to all).
   */
  onMessage: (topic: string, data: unknown, reach: number) => void;
  onStatus?: (connected: boolean) => void;
  /** Defaults to globalThis.WebSocket (Node 20 has none: pass `ws`). */
  WebSocket?: WebSocketConstructor;
  pingIntervalMs?: number;
  connectTimeoutMs?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Frames longer than this are ignored. */
  maxFrameChars?: number;
}

export interface SignalingClient {
  readonly url: string;
  connected(): boolean;
  subscribe(topics: string[]): void;
  unsubscribe(topics: string[]): void;
  /**
   * False when the relay is not reachable right now; the message is not queued. `sample`: ask
   * the relay to deliver to that many random subscribers only (Moot's relay; others send to all).
   */
  publish(topic: string, data: unknown, sample?: number): boolean;
  destroy(): void;
}

const OPEN = 1;

export function createSignalingClient(options: SignalingClientOptions): SignalingClient {
  const {
    url,
    pingIntervalMs = 20_000,
    connectTimeoutMs = 10_000,
    minBackoffMs = 500,
    maxBackoffMs = 30_000,
    maxFrameChars = 1024 * 1024,
  } = options;
  const Socket =
    options.WebSocket ?? (globalThis.WebSocket as unknown as WebSocketConstructor | undefined);
  const topics = new Set<string>();
  let socket: WebSocketLike | null = null;
  let isConnected = false;
  let heardSincePing = false;
  let failures = 0;
  let destroyed = false;
  let pingTimer: ReturnType<typeof setInterval> | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let connectTimer: ReturnType<typeof setTimeout> | undefined;

  function setConnected(next: boolean): void {
    if (isConnected === next) return;
    isConnected = next;
    try {
      options.onStatus?.(next);
    } catch {
      // A listener's bug must not stop the reconnect loop.
    }
  }

  function send(message: ClientMessage): boolean {
    if (socket === null || !isConnected || socket.readyState !== OPEN) return false;
    try {
      socket.send(JSON.stringify(message));
      return true;
    } catch {
      return false;
    }
  }

  function connect(): void {
    if (destroyed) return;
    if (Socket === undefined) return; // No WebSocket in this environment: stay disconnected.
    let ws: WebSocketLike;
    try {
      ws = new Socket(url);
    } catch {
      scheduleReconnect();
      return;
    }
    socket = ws;
    connectTimer = setTimeout(() => drop(ws), connectTimeoutMs);
    ws.onopen = () => {
      if (socket !== ws) return;
      clearTimeout(connectTimer);
      setConnected(true);
      heardSincePing = true;
      if (topics.size > 0) send({ type: 'subscribe', topics: [...topics] });
      send({ type: 'ping' });
      pingTimer = setInterval(() => {
        if (!heardSincePing) return drop(ws);
        heardSincePing = false;
        send({ type: 'ping' });
      }, pingIntervalMs);
    };
    ws.onmessage = (event) => {
      if (socket !== ws) return;
      heardSincePing = true;
      receive(event.data);
    };
    ws.onclose = () => drop(ws);
    ws.onerror = () => drop(ws);
  }

  function receive(data: unknown): void {
    if (typeof data !== 'string' || data.length > maxFrameChars) return;
    let message: unknown;
    try {
      message = JSON.parse(data);
    } catch {
      return;
    }
    if (typeof message !== 'object' || message === null) return;
    const m = message as Record<string, unknown>;
    // The relay answered something sensible: it is up, so the next failure starts a fresh backoff.
    if (m.type === 'pong' || m.type === 'publish') failures = 0;
    if (m.type !== 'publish' || typeof m.topic !== 'string' || !topics.has(m.topic)) return;
    // Untrusted like the rest: anything but a fraction in (0, 1] means "everyone".
    const reach = typeof m.reach === 'number' && m.reach > 0 && m.reach <= 1 ? m.reach : 1;
    try {
      options.onMessage(m.topic, m.data, reach);
    } catch {
      // The consumer's bug is not the relay's fault; keep the connection.
    }
  }

  /** Forget this socket at once (a dead relay's close handshake can take minutes) and retry. */
  function drop(ws: WebSocketLike): void {
    if (socket !== ws) return;
    socket = null;
    clearTimeout(connectTimer);
    clearInterval(pingTimer);
    ws.onopen = ws.onclose = ws.onmessage = null;
    // Closing a socket that is still connecting reports an error; it is the one we asked for.
    ws.onerror = () => undefined;
    try {
      ws.close();
    } catch {
      // Already closed.
    }
    setConnected(false);
    scheduleReconnect();
  }

  function scheduleReconnect(): void {
    if (destroyed) return;
    const ceiling = Math.min(maxBackoffMs, minBackoffMs * 2 ** failures);
    failures = Math.min(failures + 1, 30);
    // Full jitter in the upper half, so relays restarting don't see every client at once.
    const delay = ceiling / 2 + (Math.random() * ceiling) / 2;
    retryTimer = setTimeout(connect, delay);
  }

  connect();

  return {
    url,
    connected: () => isConnected,
    subscribe(list) {
      const fresh = list.filter((t) => !topics.has(t));
      fresh.forEach((t) => topics.add(t));
      if (fresh.length > 0) send({ type: 'subscribe', topics: fresh });
    },
    unsubscribe(list) {
      const known = list.filter((t) => topics.delete(t));
      if (known.length > 0) send({ type: 'unsubscribe', topics: known });
    },
    publish: (topic, data, sample) =>
      send(
        sample === undefined
          ? { type: 'publish', topic, data }
          : { type: 'publish', topic, data, sample },
      ),
    destroy() {
      if (destroyed) return;
      destroyed = true;
      if (socket !== null) drop(socket);
      clearTimeout(retryTimer);
      setConnected(false);
    },
  };
}
