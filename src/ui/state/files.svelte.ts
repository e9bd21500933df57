/** A FilesHandle as reactive state: reading `list` or `preparing` subscribes while on screen. */
import { createSubscriber } from 'svelte/reactivity';
import type { FileEntryView, FilesHandle, Preparing } from '../../files/files-api';
import type { EventId } from '../../shared/ids';

export class FilesView {
  readonly handle: FilesHandle;
  #subscribe;

  constructor(handle: FilesHandle) {
    this.handle = handle;
    this.#subscribe = createSubscriber((update) => handle.subscribe(update));
  }

  get list(): FileEntryView[] {
    this.#subscribe();
    return this.handle.list();
  }

  /** One file, or null for an id that names no known manifest. */
  entry(id: EventId): FileEntryView | null {
    this.#subscribe();
    return this.handle.entry(id);
  }

  get preparing(): Preparing[] {
    this.#subscribe();
    return this.handle.preparing();
  }
}
