/**
 * A minimal y-webrtc-protocol relay for the mesh's Node tests (subscribe, publish to every
 * subscriber including the sender, ping → pong). Test-only: the real relay lives in signaling/.
 */
import { WebSocketServer, type WebSocket } from 'ws';

export interface TestRelay {
  url: string;
  port: number;
  /** Sockets currently connected. */
  sockets(): WebSocket[];
  /** How many sockets subscribe to a topic. */
  subscribers(topic: string): number;
  /** Every publish so far: its topic and how many sockets it went to. */
  published: { topic: string; receivers: number }[];
  /** Stop answering pings (to look dead while keeping the TCP connection). */
  mute(muted: boolean): void;
  close(): Promise<void>;
}

export async function startTestRelay(port = 0): Promise<TestRelay> {
  const server = new WebSocketServer({ host: '127.0.0.1', port });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address !== null ? address.port : port;
  const subscriptions = new Map<WebSocket, Set<string>>();
  let muted = false;
  const published: { topic: string; receivers: number }[] = [];

  server.on('connection', (socket) => {
    subscriptions.set(socket, new Set());
    socket.on('close', () => subscriptions.delete(socket));
    socket.on('message', (raw, isBinary) => {
      if (muted || isBinary) return;
      let message: { type?: unknown; topics?: unknown; topic?: unknown };
      try {
        message = JSON.parse(String(raw)) as typeof message;
      } catch {
        return;
      }
      const mine = subscriptions.get(socket);
      if (mine === undefined) return;
      if (message.type === 'subscribe' && Array.isArray(message.topics)) {
        for (const t of message.topics) if (typeof t === 'string') mine.add(t);
      } else if (message.type === 'ping') {
        socket.send(JSON.stringify({ type: 'pong' }));
      } else if (message.type === 'publish' && typeof message.topic === 'string') {
        let receivers = 0;
        for (const [other, topics] of subscriptions) {
          if (topics.has(message.topic)) {
            other.send(String(raw));
            receivers++;
          }
        }
        published.push({ topic: message.topic, receivers });
      }
    });
  });

  return {
    url: `ws://127.0.0.1:${actualPort}`,
    port: actualPort,
    published,
    sockets: () => [...subscriptions.keys()],
    subscribers: (topic) => [...subscriptions.values()].filter((t) => t.has(topic)).length,
    mute: (value) => {
      muted = value;
    },
    close: async () => {
      for (const socket of subscriptions.keys()) socket.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
