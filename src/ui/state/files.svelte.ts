/** A FilesHandle as reactive state: reading `list` or `preparing` subscribes while on screen. */
import { createSubscriber } from 'svelte/reactivity';
import type { FileEntryView, FilesHandle, Preparing } from '../../files/files-api';

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

  get preparing(): Preparing[] {
    this.#subscribe();
    return this.handle.preparing();
  }
}
