/** What the UI may ask of shared files (a part of CommunityHandle, ui/api.ts). */
import type { SharedFile } from '../community/files/manifest';
import type { EventId } from '../shared/ids';
import type { Result } from '../shared/result';

export type LocalState = 'complete' | 'downloading' | 'paused' | 'not-downloaded';

export interface FileEntryView {
  manifest: SharedFile;
  state: LocalState;
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

export interface FilesHandle {
  /** Every shared file of the community, newest first, with what this browser holds. */
  list(): FileEntryView[];
  /** Files being hashed before their manifest is posted. */
  preparing(): Preparing[];
  subscribe(listener: () => void): () => void;
  /** Hashes, stores and announces each file; one result per file. */
  share(files: File[]): Promise<Result<void>[]>;
  download(id: EventId): void;
  pause(id: EventId): void;
  /** Stops a download and frees whatever of the file is stored here. */
  remove(id: EventId): Promise<void>;
  /** Files up to this many bytes are fetched as soon as they are shared (this device). */
  autoFetchBytes(): Promise<number>;
  /** Changes that size for files shared from now on, in every community on this device. */
  setAutoFetchBytes(bytes: number): Promise<Result<void>>;
  /** The original bytes, every block checked against the manifest again. */
  open(id: EventId): Promise<Result<Blob>>;
}
