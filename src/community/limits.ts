/** Caps on what a peer may make us store or process. Shared by validation and the UI's counters. */
export const LIMITS = {
  /** One remote Yjs update; checked before decoding. A 10,000-post community is ~15 MiB. */
  updateBytes: 64 * 1024 * 1024,
  /** One signed event's canonical bytes. */
  eventBytes: 64 * 1024,
  /** Heads an event may name as deps. */
  deps: 16,
  communityName: 80,
  description: 1_000,
  rules: 20_000,
  displayName: 64,
  bio: 280,
  postText: 10_000,
  /** A thread's title (discussions). */
  postTitle: 200,
  /** Members one post may mention (discussions). */
  mentions: 20,
  /** Shared files one post may carry (their manifest ids; docs/files.md). */
  attachments: 10,
  inviteLabel: 80,
  /** Events dated further ahead than this are held back until the clock catches up. */
  futureSkewMs: 5 * 60 * 1000,
} as const;
