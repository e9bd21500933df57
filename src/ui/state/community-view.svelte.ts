/**
 * A CommunityHandle as reactive state: reading `state` or `status` inside an effect or template
 * subscribes to the handle, and the subscription ends when nothing on screen reads it.
 *
 * The handle may hand back the same object after a change, so components read fields through
 * these getters (or derive primitives/new arrays from them) rather than caching the object.
 */
import { createSubscriber } from 'svelte/reactivity';
import type { CommunityState } from '../../community/state';
import type { CommunityId, EventId, MemberId } from '../../shared/ids';
import type { Result } from '../../shared/result';
import type { Reaction } from '../../community/discussions/bodies';
import type { CommunityHandle, NewPost, SyncStatus } from '../api';
import { memberName } from '../../community/names';
import { FilesView } from './files.svelte';

export class CommunityView {
  readonly handle: CommunityHandle;
  #subscribeState;
  #subscribeStatus;
  #files: FilesView | null | undefined;

  constructor(handle: CommunityHandle) {
    this.handle = handle;
    this.#subscribeState = createSubscriber((update) => handle.subscribe(update));
    this.#subscribeStatus = createSubscriber((update) => handle.subscribeStatus(update));
  }

  get state(): CommunityState {
    this.#subscribeState();
    return this.handle.state();
  }

  get status(): SyncStatus {
    this.#subscribeStatus();
    return this.handle.status();
  }

  /** Shared files as reactive state, one for every screen of this community; null in UI tests. */
  get files(): FilesView | null {
    if (this.#files === undefined)
      this.#files = this.handle.files ? new FilesView(this.handle.files) : null;
    return this.#files;
  }

  get id(): CommunityId {
    return this.handle.id;
  }

  get me(): MemberId {
    return this.handle.me;
  }

  /** The community's name, or null until its genesis event has arrived. */
  get name(): string | null {
    return this.state.meta?.name ?? null;
  }

  get memberCount(): number {
    return this.state.members.size;
  }

  get inviteLink(): string | null {
    this.#subscribeState();
    return this.handle.inviteLink();
  }

  nameOf(member: MemberId): string {
    return memberName(this.state.profiles, member);
  }

  post(text: string): Promise<Result<void>> {
    return this.handle.post(text);
  }

  createPost(input: NewPost): Promise<Result<void>> {
    return this.handle.createPost(input);
  }

  editPost(post: EventId, text: string, title?: string): Promise<Result<void>> {
    return this.handle.editPost(post, text, title);
  }

  deletePost(post: EventId): Promise<Result<void>> {
    return this.handle.deletePost(post);
  }

  react(post: EventId, emoji: Reaction, on: boolean): Promise<Result<void>> {
    return this.handle.react(post, emoji, on);
  }

  close(): void {
    this.handle.close();
  }
}
