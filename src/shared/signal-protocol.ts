/**
 * y-webrtc's signaling protocol, the only thing the relay and the app share. JSON text frames
 * over WebSocket at /signal. The relay forwards a publish to every subscriber of its topic
 * (the sender included, as y-webrtc's server does), or to a random sample of them when the
 * publish asks for one; it never looks inside `data`.
 */
export type ClientMessage =
  | { type: 'subscribe'; topics: string[] }
  | { type: 'unsubscribe'; topics: string[] }
  /**
   * `sample` (Moot's extension; other relays ignore it): deliver to at most this many random
   * subscribers instead of all. Moot asks it of a partial mesh's announces, which only a few
   * peers need to hear, so an announce costs the relay O(sample), not O(subscribers).
   */
  | { type: 'publish'; topic: string; data: unknown; sample?: number }
  | { type: 'ping' };

export type ServerMessage =
  /** `reach`: the fraction of the topic's subscribers a sampled publish went to (absent: all). */
  | { type: 'publish'; topic: string; data: unknown; reach?: number }
  | { type: 'pong' }
  /**
   * Moot's relay tells a client why it refused a frame; other relays never send this.
   * `reason` is one of {@link RelayErrorReason}; typed as string so newer relays can add reasons.
   */
  | { type: 'error'; reason: string };

/**
 * Why Moot's relay refused a frame. The frame is dropped and the socket stays open, except for
 * `rate_limited` (closed with 1008 if the client keeps sending) and frames over the size cap
 * (closed with 1009 by the WebSocket layer before any of this runs).
 */
export type RelayErrorReason =
  | 'binary_frame'
  | 'invalid_json'
  | 'invalid_message'
  | 'unknown_type'
  | 'invalid_topic'
  | 'too_deep'
  | 'too_many_topics'
  | 'rate_limited';

/** Topics are opaque strings; Moot's are base64url HMACs (43 chars). Keep the cap generous for y-webrtc rooms. */
export const MAX_TOPIC_LENGTH = 256;

/** Deepest `data` the relay forwards. y-webrtc's signals nest 3 levels; Moot's `data` is a string. */
export const MAX_DATA_DEPTH = 32;

/** Largest `sample` a publish may ask for; more is the same as everyone. */
export const MAX_PUBLISH_SAMPLE = 1_000_000;

/** Close codes the relay uses besides the standard 1001 (shutting down) and 1009 (frame too big). */
export const RELAY_CLOSE_POLICY = 1008;
