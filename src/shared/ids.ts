/** Branded string ids: a MemberId cannot be passed where an EventId is expected. */
declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

/** base64url of a member's raw Ed25519 public key (32 bytes). */
export type MemberId = Brand<string, 'MemberId'>;
/** base64url of SHA-256 over an event's canonical bytes. */
export type EventId = Brand<string, 'EventId'>;
/** base64url of SHA-256 over the founder's key and a nonce; see community/genesis.ts. */
export type CommunityId = Brand<string, 'CommunityId'>;
/** Random per-tab id a peer uses on the signaling relay; not an identity. */
export type PeerId = Brand<string, 'PeerId'>;
