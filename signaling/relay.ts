/**
 * Moot's relay: y-webrtc's signaling protocol at /signal plus the app's HTTP routes, on one
 * port. A publish is serialised once and the same bytes go to every subscriber (or to the
 * random sample of them it asked for).
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { Admission, refuse } from './admission';
import { Client, type ClientHost } from './client';
import { resolveOptions, type StartRelayOptions } from './config';
import { createRequestListener } from './http';
import { RelayMetrics } from './metrics';
import { startRedisBridge, type RedisBridge } from './redis';
import { TopicTable } from './topics';
import { encodeTextFrame, FrameWriter } from './wire';

export interface RunningRelay {
  /** http://host:port — WebSocket clients connect to `${url.replace('http', 'ws')}/signal`. */
  url: string;
  port: number;
  metrics: RelayMetrics;
  /** Closes every socket (1001 first, then forcibly) and stops listening. */
  close(): Promise<void>;
}

export async function startRelay(input: StartRelayOptions = {}): Promise<RunningRelay> {
  const options = resolveOptions(input);
  const { limits, log } = options;
  const metrics = new RelayMetrics();
  const clients = new Map<WebSocket, Client>();
  const admission = new Admission(options);
  let bridge: RedisBridge | null = null;
  const topics = new TopicTable<Client>({
    opened: (topic) => bridge?.opened(topic),
    closed: (topic) => bridge?.closed(topic),
  });
  let shuttingDown = false;

  const host: ClientHost = {
    limits,
    metrics,
    writer: new FrameWriter(),
    log,
    subscribe(client, topic) {
      if (topics.add(topic, client)) client.topics.add(topic);
    },
    unsubscribe(client, topic) {
      topics.remove(topic, client);
      client.topics.delete(topic);
    },
    publish(topic, data, sample) {
      const payload = Buffer.from(JSON.stringify({ type: 'publish', topic, data }));
      const receivers = topics.subscribers(topic);
      if (sample !== undefined && receivers !== undefined && receivers.size > sample)
        deliverSample(topic, data, receivers, sample);
      else deliver(topic, payload);
      // Other instances deliver to all of theirs: the bridge carries no sample (yet).
      bridge?.publish(topic, payload);
    },
  };

  /**
   * To `sample` random subscribers, telling each what fraction of the topic got it, so an
   * announce's answer chance can be scaled up to make up for the peers that never heard it.
   */
  function deliverSample(
    topic: string,
    data: unknown,
    receivers: ReadonlySet<Client>,
    sample: number,
  ): void {
    const pool = [...receivers];
    const reach = sample / pool.length;
    const payload = Buffer.from(JSON.stringify({ type: 'publish', topic, data, reach }));
    const frame = encodeTextFrame(payload);
    metrics.sampledPublishes += 1;
    for (let i = 0; i < sample; i++) {
      // A partial Fisher–Yates shuffle: `sample` distinct subscribers, uniformly.
      const j = i + Math.floor(Math.random() * (pool.length - i));
      [pool[i], pool[j]] = [pool[j]!, pool[i]!];
      pool[i]!.deliver(frame, payload);
    }
  }

  /** Serialised and framed once, whatever the number of receivers. */
  function deliver(topic: string, payload: Buffer): void {
    const receivers = topics.subscribers(topic);
    if (!receivers) return;
    const frame = encodeTextFrame(payload);
    for (const receiver of receivers) receiver.deliver(frame, payload);
  }

  const server = createServer(
    {
      maxHeaderSize: limits.maxHeaderBytes,
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      // Node checks the two timeouts above only this often (default 30 s): keep it proportionate.
      connectionsCheckingInterval: Math.max(
        20,
        Math.min(1000, limits.headersTimeoutMs / 4, limits.requestTimeoutMs / 4),
      ),
    },
    createRequestListener({
      staticDir: options.staticDir,
      iceServers: options.iceServers,
      renderMetrics: () => metrics.render({ topics: topics.size }),
      health: () => ({ connections: clients.size, topics: topics.size }),
    }),
  );
  server.keepAliveTimeout = 5_000;
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // Malformed or oversized request heads and timeouts: answer if the socket still takes it.
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const status =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? '431 Request Header Fields Too Large'
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? '408 Request Timeout'
          : '400 Bad Request';
    refuse(socket, status);
  });

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: limits.maxFrameBytes,
    perMessageDeflate: false,
    clientTracking: false,
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', destroySocket);
    const refusal = admission.check(req, clients.size, shuttingDown);
    if (refusal) {
      metrics.count(metrics.upgradeRefusals, refusal.reason);
      if (refusal.reason !== 'bad_path') {
        log('upgrade_refused', { reason: refusal.reason, address: refusal.address });
      }
      refuse(socket, refusal.status);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      // From here ws handles socket errors; one listener fewer per idle connection.
      socket.off('error', destroySocket);
      accept(ws, admission.addressOf(req));
    });
  });

  // Listeners are shared by every socket (`this` is the socket) rather than closures per
  // connection: idle connections are most of a relay's memory.
  function onMessage(this: WebSocket, data: Buffer, isBinary: boolean): void {
    clients.get(this)?.receive(data, isBinary);
  }
  function onPing(this: WebSocket): void {
    clients.get(this)?.receivePing();
  }
  function onPong(this: WebSocket): void {
    const client = clients.get(this);
    if (client) client.alive = true;
  }
  function onError(this: WebSocket, error: Error & { code?: string }): void {
    const client = clients.get(this);
    if (!client) return;
    const tooBig = error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH';
    client.noteFailure(tooBig ? 'frame_too_big' : 'protocol_error');
    log(tooBig ? 'client_frame_too_big' : 'client_protocol_error', { address: client.address });
  }
  function onClose(this: WebSocket): void {
    const client = clients.get(this);
    if (!client) return;
    const reason = client.release();
    clients.delete(this);
    admission.closed(client.address);
    metrics.connections = clients.size;
    metrics.count(metrics.disconnects, reason);
  }

  function accept(ws: WebSocket, address: string): void {
    clients.set(ws, new Client(ws, address, host));
    admission.opened(address);
    metrics.connections = clients.size;
    metrics.connectionsAccepted += 1;
    ws.on('message', onMessage);
    ws.on('ping', onPing);
    ws.on('pong', onPong);
    ws.on('error', onError);
    ws.on('close', onClose);
  }

  const heartbeat = setInterval(() => {
    for (const client of clients.values()) {
      if (!client.alive) {
        log('client_heartbeat_timeout', { address: client.address });
        client.terminate('heartbeat');
        continue;
      }
      client.alive = false;
      try {
        client.ws.ping();
      } catch {
        client.terminate('heartbeat');
      }
    }
  }, limits.heartbeatMs);
  heartbeat.unref();

  if (options.redisUrl) {
    bridge = await startRedisBridge({
      url: options.redisUrl,
      deliver,
      topics: () => topics.topicNames(),
      maxFrameBytes: limits.maxFrameBytes,
      metrics,
      log,
    });
  }

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    clearInterval(heartbeat);
    await bridge?.close();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  const url = `http://${urlHost(options.host)}:${port}`;

  async function close(): Promise<void> {
    if (shuttingDown) return;
    shuttingDown = true;
    clearInterval(heartbeat);
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    for (const client of clients.values()) client.close('shutdown', 1001, 'relay shutting down');
    // Give clients a moment to complete the close handshake, then cut whoever is left.
    const deadline = Date.now() + 2_000;
    while (clients.size > 0 && Date.now() < deadline) await sleep(20);
    for (const client of clients.values()) client.terminate('shutdown');
    server.closeAllConnections();
    await closed;
    await bridge?.close();
    log('stopped', {});
  }

  return { url, port, metrics, close };
}

function destroySocket(this: Duplex): void {
  this.destroy();
}

/** A URL a browser on this machine can open: wildcard binds are reached through loopback. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
