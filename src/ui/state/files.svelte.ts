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

const UNITS = ['B', 'KB', 'MB', 'GB'];

/** 1,234,567 → "1.2 MB" (decimal units, as file managers show them). */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${UNITS[unit]}`;
}
