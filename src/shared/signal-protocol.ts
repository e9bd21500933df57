/**
 * y-webrtc's signaling protocol, the only thing the relay and the app share. JSON text frames
 * over WebSocket at /signal. The relay forwards a publish to every subscriber of its topic
 * (the sender included, as y-webrtc's server does); it never looks inside `data`.
 */
export type ClientMessage =
  | { type: 'subscribe'; topics: string[] }
  | { type: 'unsubscribe'; topics: string[] }
  | { type: 'publish'; topic: string; data: unknown }
  | { type: 'ping' };

export type ServerMessage =
  | { type: 'publish'; topic: string; data: unknown }
  | { type: 'pong' }
  /** Moot's relay tells a client why it refused a frame; other relays never send this. */
  | { type: 'error'; reason: string };

/** Topics are opaque strings; Moot's are base64url HMACs (43 chars). Keep the cap generous for y-webrtc rooms. */
export const MAX_TOPIC_LENGTH = 256;
