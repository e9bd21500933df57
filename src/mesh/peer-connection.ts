/**
 * One WebRTC connection to one peer: simple-peer for the offer/answer dance (trickle ICE), then
 * whole messages in and out over two data channels, framed (framing.ts) and paced
 * (send-queue.ts): file blocks on their own channel, everything else on simple-peer's.
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

/** simple-peer keeps its RTCPeerConnection and RTCDataChannel here (not in its types). */
type Internals = { _pc: RTCPeerConnection; _channel?: (RTCDataChannel & DataChannelLike) | null };

/**
 * File blocks travel on a second data channel, its own SCTP stream: a post then waits behind
 * no block the sender's channel buffer holds (SCTP serves streams in turn), where on one
 * channel it waited behind all of them. The channel is negotiated (each side creates it with
 * this id) and created together with the RTCPeerConnection, before any signal, so both ends
 * exist before the transport can carry a byte. (Created after 'connect', as once tried, the
 * side that opened first could send before the other had its end, and those messages were
 * lost.) simple-peer's own channel is the only in-band one, with id 0 or 1.
 */
const BLOCKS_CHANNEL_ID = 64;

export function createPeerConnection(options: PeerConnectionOptions): PeerConnection {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const reassembler = createReassembler(limits);
  const peer = new SimplePeer({
    initiator: options.initiator,
    trickle: true,
    ...(options.iceServers !== undefined ? { config: { iceServers: options.iceServers } } : {}),
  });
  const blocksChannel = (peer as unknown as Internals)._pc.createDataChannel('moot-blocks', {
    negotiated: true,
    id: BLOCKS_CHANNEL_ID,
  }) as RTCDataChannel & DataChannelLike;
  blocksChannel.binaryType = 'arraybuffer';
  const blocksReassembler = createReassembler(limits);
  let main: DataChannelLike | null = null;
  let queue: SendQueue | null = null;
  let blocksQueue: SendQueue | null = null;
  let nextMessageId = 0;
  let closed = false;

  function close(reason: string, misbehaved: boolean): void {
    if (closed) return;
    closed = true;
    queue?.destroy();
    blocksQueue?.destroy();
    queue = blocksQueue = null;
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
  const onSendError = (e: unknown) =>
    close(`send failed: ${(e as Error)?.message ?? String(e)}`, false);

  /** Open once both channels are. */
  function opened(): void {
    if (closed || queue !== null || main === null || blocksChannel.readyState !== 'open') return;
    queue = createSendQueue(main, { onError: onSendError });
    blocksQueue = createSendQueue(blocksChannel, { onError: onSendError });
    options.onOpen();
  }

  function receive(data: unknown, onBlocksChannel: boolean): void {
    if (closed) return;
    if (!(data instanceof Uint8Array)) return close('text frame', true);
    const result = (onBlocksChannel ? blocksReassembler : reassembler).push(data);
    if (!result.ok) return close(`bad frame: ${result.error}`, true);
    if (result.value === null) return;
    if ((result.value.channel === 'blocks') !== onBlocksChannel)
      return close('a message on the wrong data channel', true);
    try {
      options.onMessage(result.value.channel, result.value.payload);
    } catch (e) {
      console.error('mesh: message handler failed', e);
    }
  }

  peer.on('connect', () => {
    if (closed) return;
    main = (peer as unknown as Internals)._channel ?? null;
    if (!main) return close('no data channel', false);
    opened();
  });
  blocksChannel.addEventListener('open', opened);
  blocksChannel.addEventListener('close', () => close('blocks channel closed', false));
  blocksChannel.addEventListener('message', (e: MessageEvent) =>
    receive(e.data instanceof ArrayBuffer ? new Uint8Array(e.data) : e.data, true),
  );
  peer.on('data', (data: unknown) => receive(data, false));
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
      if (channel === 'blocks') blocksQueue!.enqueue(frames.value, 'low');
      else queue.enqueue(frames.value, 'high');
      return true;
    },
    isOpen: () => queue !== null,
    queuedBytes: () => (queue?.queuedBytes() ?? 0) + (blocksQueue?.queuedBytes() ?? 0),
    destroy: () => close('destroyed', false),
  };
}
