/**
 * One WebRTC connection to one peer: simple-peer for the offer/answer dance (trickle ICE), then
 * whole messages in and out over its data channel, framed (framing.ts) and paced (send-queue.ts).
 * Anything the peer sends that does not frame correctly closes the connection as misbehaviour.
 */
import SimplePeer from 'simple-peer/simplepeer.min.js';
import {
  type ChannelName,
  createReassembler,
  DEFAULT_LIMITS,
  fragmentMessage,
  type ReassemblyLimits,
} from './framing';
import { createSendQueue, type DataChannelLike, type SendQueue } from './send-queue';

export interface PeerConnectionOptions {
  initiator: boolean;
  /** undefined: simple-peer's default STUN servers; [] for none (e.g. loopback tests). */
  iceServers?: RTCIceServer[];
  /** Our half of the offer/answer/candidates, to be sent to the peer through signaling. */
  onSignal: (signal: object) => void;
  /** The data channel is open. */
  onOpen: () => void;
  onMessage: (channel: ChannelName, payload: Uint8Array) => void;
  /** Called once. `misbehaved` is set when the peer sent frames that break the framing rules. */
  onClose: (reason: string, misbehaved: boolean) => void;
  limits?: ReassemblyLimits;
}

export interface PeerConnection {
  /** The peer's half of the handshake. Untrusted; bad input closes the connection. */
  signal(data: unknown): void;
  /** False if the connection is not open; the message is dropped. */
  send(channel: ChannelName, payload: Uint8Array): boolean;
  isOpen(): boolean;
  /** Bytes waiting to go onto the channel (for pacing block transfers). */
  queuedBytes(): number;
  destroy(): void;
}

/** simple-peer keeps its RTCDataChannel here (not in its types). */
type WithChannel = { _channel?: (RTCDataChannel & DataChannelLike) | null };

export function createPeerConnection(options: PeerConnectionOptions): PeerConnection {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const reassembler = createReassembler(limits);
  const peer = new SimplePeer({
    initiator: options.initiator,
    trickle: true,
    ...(options.iceServers !== undefined ? { config: { iceServers: options.iceServers } } : {}),
  });
  let queue: SendQueue | null = null;
  let nextMessageId = 0;
  let closed = false;

  function close(reason: string, misbehaved: boolean): void {
    if (closed) return;
    closed = true;
    queue?.destroy();
    queue = null;
    try {
      peer.destroy();
    } catch {
      // Already torn down.
    }
    options.onClose(reason, misbehaved);
  }

  peer.on('signal', (signal) => {
    if (!closed) options.onSignal(signal);
  });
  peer.on('connect', () => {
    if (closed) return;
    const channel = (peer as unknown as WithChannel)._channel;
    if (!channel) return close('no data channel', false);
    queue = createSendQueue(channel, {
      onError: (e) => close(`send failed: ${(e as Error)?.message ?? String(e)}`, false),
    });
    options.onOpen();
  });
  peer.on('data', (data: unknown) => {
    if (closed) return;
    if (!(data instanceof Uint8Array)) return close('text frame', true);
    const result = reassembler.push(data);
    if (!result.ok) return close(`bad frame: ${result.error}`, true);
    if (result.value === null) return;
    try {
      options.onMessage(result.value.channel, result.value.payload);
    } catch (e) {
      console.error('mesh: message handler failed', e);
    }
  });
  peer.on('close', () => close('closed', false));
  peer.on('error', (e) => close(e.message, false));

  return {
    signal(data) {
      if (closed) return;
      if (typeof data !== 'object' || data === null) return close('bad signal', true);
      try {
        peer.signal(data as SimplePeer.SignalData);
      } catch (e) {
        close(`bad signal: ${(e as Error)?.message ?? String(e)}`, true);
      }
    },
    send(channel, payload) {
      if (queue === null) return false;
      const frames = fragmentMessage(channel, nextMessageId++, payload, limits.maxMessageBytes);
      if (!frames.ok) {
        console.error('mesh: not sent:', frames.error);
        return false;
      }
      queue.enqueue(frames.value, channel === 'blocks' ? 'low' : 'high');
      return true;
    },
    isOpen: () => queue !== null,
    queuedBytes: () => queue?.queuedBytes() ?? 0,
    destroy: () => close('destroyed', false),
  };
}
