// The page's test hooks (src/app/app.ts DebugApi), seen from tests with plain string ids.
declare global {
  interface Window {
    mootDebug: {
      encodeState(id: string): Promise<Uint8Array>;
      broadcastRawUpdate(id: string, update: Uint8Array): Promise<void>;
      seedPosts(id: string, count: number, textLength: number): Promise<void>;
      storedSize(id: string): Promise<{ rows: number; bytes: number }>;
      flushStore(id: string): Promise<void>;
    };
  }
}
export {};
