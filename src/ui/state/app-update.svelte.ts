/**
 * Whether a newer build of Moot is waiting to take over. The service worker registration
 * (app/pwa.ts) offers it; the UI shows a quiet prompt and applies it only when asked, so a
 * member never loses a half-written post to a surprise reload.
 */
class AppUpdate {
  available = $state(false);
  #apply: (() => Promise<void>) | null = null;

  /** A new service worker is installed and waiting; `apply` activates it and reloads. */
  offer(apply: () => Promise<void>): void {
    this.#apply = apply;
    this.available = true;
  }

  async apply(): Promise<void> {
    await this.#apply?.();
  }

  dismiss(): void {
    this.available = false;
  }
}

export const appUpdate = new AppUpdate();
