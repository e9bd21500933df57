/** What the UI may ask of shared files (a part of CommunityHandle, ui/api.ts). */
import type { FileShareBody, SharedFile } from '../community/files/manifest';
import type { EventId } from '../shared/ids';
import type { Result } from '../shared/result';

export type LocalState = 'complete' | 'downloading' | 'paused' | 'not-downloaded';

export interface FileEntryView {
  manifest: SharedFile;
  state: LocalState;
  /** Shared by me: never cleaned up automatically. */
  mine: boolean;
  /** "Keep available" (this browser only): never cleaned up automatically. */
  pinned: boolean;
  haveBlocks: number;
  totalBlocks: number;
  /** Bytes of it stored here. */
  storedBytes: number;
  /** Connected peers that hold some of it. */
  peers: number;
  /** Peers that have sent verified blocks of it since the page opened. */
  sources: number;
  bytesPerSecond: number;
}

export interface Preparing {
  name: string;
  done: number;
  total: number;
}

/** A file hashed and stored here whose manifest is not signed yet (an attachment being written). */
export type PreparedFile = FileShareBody;

export interface FilesHandle {
  /** Every shared file of the community, newest first, with what this browser holds. */
  list(): FileEntryView[];
  /** Files being hashed before their manifest is posted. */
  preparing(): Preparing[];
  /** One shared file, or null if no manifest by that id is known (e.g. a forged attachment). */
  entry(id: EventId): FileEntryView | null;
  subscribe(listener: () => void): () => void;
  /** Hashes, stores and announces each file; one result per file. */
  share(files: File[]): Promise<Result<void>[]>;
  /** Hashes and stores a file without announcing it (shown in `preparing` meanwhile). */
  prepare(
    file: File,
    onProgress?: (done: number, total: number) => void,
  ): Promise<Result<PreparedFile>>;
  /** Signs and posts a prepared file's manifest; its id. */
  publish(prepared: PreparedFile): Promise<Result<EventId>>;
  /** Frees the blocks of a prepared file that will not be shared. */
  discard(prepared: PreparedFile): Promise<void>;
  download(id: EventId): void;
  pause(id: EventId): void;
  /** Stops a download, unpins, and frees whatever of the file is stored here. */
  remove(id: EventId): Promise<void>;
  /** "Keep available": never cleaned up automatically; pinning fetches what is missing. */
  setPinned(id: EventId, pinned: boolean): Promise<void>;
  /** Other members' unpinned files are kept up to this many bytes (this device). */
  keepOthersBytes(): Promise<number>;
  /** Changes that budget; files over it are cleaned up at once, least recently used first. */
  setKeepOthersBytes(bytes: number): Promise<Result<void>>;
  /** Files up to this many bytes are fetched as soon as they are shared (this device). */
  autoFetchBytes(): Promise<number>;
  /** Changes that size for files shared from now on, in every community on this device. */
  setAutoFetchBytes(bytes: number): Promise<Result<void>>;
  /** File blocks this device sends, to every peer together, in bytes per second; 0: no limit. */
  uploadBytesPerSecond(): Promise<number>;
  /** Changes that limit at once, for every community on this device. */
  setUploadBytesPerSecond(bytes: number): Promise<Result<void>>;
  /** The original bytes, every block checked against the manifest again. */
  open(id: EventId): Promise<Result<Blob>>;
}
