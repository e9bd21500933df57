/**
 * Yjs sync and awareness with each peer, over any transport that carries whole messages.
 *
 * Why not y-protocols' `readSyncMessage`: it applies remote updates directly. Here every remote
 * update — the step2 answer and every later update — first goes through `validateUpdate` with
 * the peer that sent it, and is applied only on an ok result. One peer's messages are handled
 * strictly in order (the validator is async, so they queue), so a later update never overtakes
 * the one it depends on. A rejected update is never applied and the peer is reported so the
 * mesh can drop it.
 *
 * Sync messages are y-protocols' encoding (step1 = 0, step2 = 1, update = 2) plus one Moot
 * message, SYNC_DONE = 3, sent after a step2 was validated and applied. A peer is `synced` once
 * both halves finished: we applied its step2 (we hold everything it had), and it sent SYNC_DONE
 * for ours (it holds everything we had). Without that acknowledgement "synced" would only mean
 * "sent", which is not what the status line promises.
 *
 * Full mesh (v1): updates that came from a peer are not sent on to anyone; every peer hears
 * them from their author directly. Local updates (any origin that is not a remote peer, e.g.
 * the app's writes or y-indexeddb loading) go to every peer.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import type { PeerId } from '../shared/ids';
import { err, type Result } from '../shared/result';
import { alreadyHeld, prescanUpdate } from './decode-budget';
import { forwardTargets, type ForwardMode } from './gossip';

export const SYNC_DONE = 3;

/** Messages from one peer waiting for the validator; past this the peer is flooding. */
const MAX_QUEUED_MESSAGES = 10_000;
const MAX_QUEUED_BYTES = 128 * 1024 * 1024;
/** How long one peer's step2 may hold back our step1 to the next peer. */
const STEP1_GATE_MS = 10_000;
/** An honest peer sends only its own small state (a name, a cursor). */
const MAX_AWARENESS_BYTES = 64 * 1024;

export type SyncChannel = 'sync' | 'awareness';

/** The transaction origin of updates applied from a peer; lets the doc's listeners tell. */
export class RemoteOrigin {
  constructor(readonly peer: PeerId) {}
}

export interface SyncEngineOptions {
  doc: Y.Doc;
  awareness: awarenessProtocol.Awareness;
  validateUpdate: (update: Uint8Array, from: PeerId) => Promise<Result<void>>;
  send: (peer: PeerId, channel: SyncChannel, payload: Uint8Array) => void;
  /** The peer sent something invalid; nothing of it was applied. The caller drops the peer. */
  onReject: (peer: PeerId, reason: string) => void;
  /** The first sync exchange with this peer completed in both directions. */
  onSynced: (peer: PeerId) => void;
  /**
   * What happens to an update that came from a peer (gossip.ts): `none` in a full mesh (every
   * peer hears each author directly); `gossip` in a partial mesh (on to every other peer, once,
   * since only what was new to us fires the doc's update event); `flood` is y-webrtc's way (on
   * to every peer, the sender included), kept for the benchmark's baseline.
   */
  forward?: ForwardMode;
  /** Timers (default: the global ones); the simulator passes its simulated clock's. */
  timers?: Timers;
  /**
   * Resolves once the doc holds what was stored (MeshOptions.ready). Only from then are the
   * doc's updates sent on: loading the store is no news to peers, and with a listener Yjs would
   * encode the whole stored doc once more just to tell it.
   */
  ready?: Promise<void>;
}

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const globalTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface SyncEngine {
  /** Start syncing with an admitted peer: sends step1 and our awareness state. */
  addPeer(peer: PeerId): void;
  /** Forget a peer: its queued messages are dropped and its awareness states removed. */
  removePeer(peer: PeerId): void;
  receive(peer: PeerId, channel: SyncChannel, payload: Uint8Array): void;
  isSynced(peer: PeerId): boolean;
  /** Sends bytes as a sync update to every peer without applying them here (e2e tests only). */
  broadcastRawUpdate(update: Uint8Array): void;
  destroy(): void;
}

interface PeerState {
  origin: RemoteOrigin;
  queue: Promise<void>;
  queuedMessages: number;
  queuedBytes: number;
  appliedTheirStep2: boolean;
  theyAppliedOurs: boolean;
  synced: boolean;
  awarenessClients: Set<number>;
  closed: boolean;
}

/** `Y.encodeStateAsUpdate` of nothing: no structs, no deletes. Applying it changes nothing. */
const isEmptyUpdate = (u: Uint8Array): boolean => u.length === 2 && u[0] === 0 && u[1] === 0;

/** Awareness removals made by the mesh itself; never broadcast. */
const MESH_ORIGIN = Symbol('mesh');

export function createSyncEngine(options: SyncEngineOptions): SyncEngine {
  const { doc, awareness } = options;
  const peers = new Map<PeerId, PeerState>();
  // Our step1 goes to one peer at a time: a newcomer meeting five peers at once would otherwise
  // receive, validate and apply the whole doc five times. The next peer gets our step1 once the
  // previous one's step2 was applied (so its answer holds only what we still lack), or after
  // STEP1_GATE_MS if that peer is slow.
  const awaitingStep1: PeerId[] = [];
  let fetchingFrom: PeerId | null = null;
  const timers = options.timers ?? globalTimers;
  let gateTimer: unknown;

  function message(write: (encoder: encoding.Encoder) => void): Uint8Array {
    const encoder = encoding.createEncoder();
    write(encoder);
    return encoding.toUint8Array(encoder);
  }

  function sendSafely(peer: PeerId, channel: SyncChannel, payload: Uint8Array): void {
    try {
      options.send(peer, channel, payload);
    } catch {
      // The transport reports its own failures (the peer closes); one peer must not stop the loop.
    }
  }

  function reject(peer: PeerId, state: PeerState, reason: string): void {
    if (state.closed) return;
    state.closed = true;
    releaseStep1Gate(peer);
    options.onReject(peer, reason);
  }

  function onDocUpdate(update: Uint8Array, origin: unknown): void {
    const from = origin instanceof RemoteOrigin ? origin.peer : null;
    const targets = forwardTargets(options.forward ?? 'none', from, peers.keys());
    if (targets.length === 0) return;
    const payload = message((e) => syncProtocol.writeUpdate(e, update));
    for (const peer of targets)
      if (peers.get(peer)?.closed === false) sendSafely(peer, 'sync', payload);
  }

  function onAwarenessUpdate(
    changes: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void {
    const changed = [...changes.added, ...changes.updated, ...changes.removed];
    if (origin instanceof RemoteOrigin) {
      const state = peers.get(origin.peer);
      if (state === undefined) return;
      for (const client of [...changes.added, ...changes.updated])
        state.awarenessClients.add(client);
      for (const client of changes.removed) state.awarenessClients.delete(client);
      return;
    }
    if (origin === MESH_ORIGIN || !changed.includes(awareness.clientID)) return;
    // Only our own state travels: in a full mesh every peer hears each client from that client.
    const payload = awarenessProtocol.encodeAwarenessUpdate(awareness, [awareness.clientID]);
    for (const [peer, state] of peers) if (!state.closed) sendSafely(peer, 'awareness', payload);
  }

  let destroyed = false;
  if (options.ready)
    void options.ready.then(() => {
      if (!destroyed) doc.on('update', onDocUpdate);
    });
  else doc.on('update', onDocUpdate);
  awareness.on('update', onAwarenessUpdate);

  async function applyRemoteUpdate(peer: PeerId, state: PeerState, update: Uint8Array) {
    if (isEmptyUpdate(update)) return true;
    // Before Yjs or the validator decode it: a tiny update may claim millions of objects.
    const shape = prescanUpdate(update);
    if (!shape.ok) {
      reject(peer, state, shape.error);
      return false;
    }
    // Gossip brings the same update from several neighbours: what we hold needs no second check.
    if (alreadyHeld(shape.value, (client) => Y.getState(doc.store, client))) return true;
    let verdict: Result<void>;
    try {
      verdict = await options.validateUpdate(update, peer);
    } catch (e) {
      verdict = err(`validator failed: ${(e as Error)?.message ?? String(e)}`);
    }
    if (state.closed) return false;
    if (!verdict.ok) {
      reject(peer, state, verdict.error);
      return false;
    }
    try {
      Y.applyUpdate(doc, update, state.origin);
    } catch (e) {
      reject(peer, state, `update does not apply: ${(e as Error)?.message ?? String(e)}`);
      return false;
    }
    return true;
  }

  function markSynced(peer: PeerId, state: PeerState): void {
    if (state.synced || !state.appliedTheirStep2 || !state.theyAppliedOurs) return;
    state.synced = true;
    options.onSynced(peer);
  }

  async function handleSync(peer: PeerId, state: PeerState, payload: Uint8Array): Promise<void> {
    let type: number;
    let body: Uint8Array | undefined;
    try {
      const decoder = decoding.createDecoder(payload);
      type = decoding.readVarUint(decoder);
      if (type !== SYNC_DONE) body = decoding.readVarUint8Array(decoder);
    } catch {
      return reject(peer, state, 'malformed sync message');
    }
    switch (type) {
      case syncProtocol.messageYjsSyncStep1: {
        let answer: Uint8Array;
        try {
          answer = message((e) => syncProtocol.writeSyncStep2(e, doc, body));
        } catch {
          return reject(peer, state, 'malformed state vector');
        }
        return sendSafely(peer, 'sync', answer);
      }
      case syncProtocol.messageYjsSyncStep2:
        if (!(await applyRemoteUpdate(peer, state, body!))) return;
        state.appliedTheirStep2 = true;
        releaseStep1Gate(peer);
        sendSafely(
          peer,
          'sync',
          message((e) => encoding.writeVarUint(e, SYNC_DONE)),
        );
        return markSynced(peer, state);
      case syncProtocol.messageYjsUpdate:
        await applyRemoteUpdate(peer, state, body!);
        return;
      case SYNC_DONE:
        state.theyAppliedOurs = true;
        return markSynced(peer, state);
      default:
        return reject(peer, state, `unknown sync message ${type}`);
    }
  }

  function handleAwareness(peer: PeerId, state: PeerState, payload: Uint8Array): void {
    if (payload.length > MAX_AWARENESS_BYTES)
      return reject(peer, state, 'awareness update too large');
    try {
      awarenessProtocol.applyAwarenessUpdate(awareness, payload, state.origin);
    } catch {
      reject(peer, state, 'malformed awareness update');
    }
  }

  function sendNextStep1(): void {
    while (fetchingFrom === null && awaitingStep1.length > 0) {
      const peer = awaitingStep1.shift()!;
      if (peers.get(peer)?.closed !== false) continue;
      fetchingFrom = peer;
      gateTimer = timers.set(() => releaseStep1Gate(peer), STEP1_GATE_MS);
      sendSafely(
        peer,
        'sync',
        message((e) => syncProtocol.writeSyncStep1(e, doc)),
      );
    }
  }

  function releaseStep1Gate(peer: PeerId): void {
    const waiting = awaitingStep1.indexOf(peer);
    if (waiting >= 0) awaitingStep1.splice(waiting, 1);
    if (fetchingFrom !== peer) return;
    fetchingFrom = null;
    timers.clear(gateTimer);
    sendNextStep1();
  }

  function removePeer(peer: PeerId): void {
    const state = peers.get(peer);
    if (state === undefined) return;
    state.closed = true;
    peers.delete(peer);
    releaseStep1Gate(peer);
    const clients = [...state.awarenessClients].filter((c) => c !== awareness.clientID);
    if (clients.length > 0)
      awarenessProtocol.removeAwarenessStates(awareness, clients, MESH_ORIGIN);
  }

  return {
    addPeer(peer) {
      if (peers.has(peer)) return;
      peers.set(peer, {
        origin: new RemoteOrigin(peer),
        queue: Promise.resolve(),
        queuedMessages: 0,
        queuedBytes: 0,
        appliedTheirStep2: false,
        theyAppliedOurs: false,
        synced: false,
        awarenessClients: new Set(),
        closed: false,
      });
      awaitingStep1.push(peer);
      sendNextStep1();
      if (awareness.getLocalState() !== null) {
        const states = awarenessProtocol.encodeAwarenessUpdate(awareness, [awareness.clientID]);
        sendSafely(peer, 'awareness', states);
      }
    },

    removePeer(peer) {
      const state = peers.get(peer);
      if (state === undefined) return;
      state.closed = true;
      peers.delete(peer);
      // Were we fetching from it? Ask the next peer now, not after STEP1_GATE_MS.
      releaseStep1Gate(peer);
      const clients = [...state.awarenessClients].filter((c) => c !== awareness.clientID);
      if (clients.length > 0)
        awarenessProtocol.removeAwarenessStates(awareness, clients, MESH_ORIGIN);
    },

    receive(peer, channel, payload) {
      const state = peers.get(peer);
      if (state === undefined || state.closed) return;
      if (channel === 'awareness') return handleAwareness(peer, state, payload);
      if (
        state.queuedMessages >= MAX_QUEUED_MESSAGES ||
        state.queuedBytes + payload.length > MAX_QUEUED_BYTES
      ) {
        return reject(peer, state, 'too many messages waiting for validation');
      }
      state.queuedMessages++;
      state.queuedBytes += payload.length;
      state.queue = state.queue.then(async () => {
        state.queuedMessages--;
        state.queuedBytes -= payload.length;
        if (state.closed) return;
        try {
          await handleSync(peer, state, payload);
        } catch (e) {
          // A bug of ours or a listener's, not necessarily the peer's: log, keep the order going.
          console.error('mesh: sync message failed', e);
        }
      });
    },

    isSynced: (peer) => peers.get(peer)?.synced ?? false,

    broadcastRawUpdate(update) {
      const payload = message((e) => syncProtocol.writeUpdate(e, update));
      for (const [peer, state] of peers) if (!state.closed) sendSafely(peer, 'sync', payload);
    },

    destroy() {
      destroyed = true;
      timers.clear(gateTimer);
      doc.off('update', onDocUpdate);
      awareness.off('update', onAwarenessUpdate);
      for (const peer of [...peers.keys()]) removePeer(peer);
    },
  };
}
