/**
 * Registers the service worker that precaches the app shell (vite-plugin-pwa, registerType
 * 'prompt'): a new build installs in the background and waits; the member chooses when to
 * reload into it. Registration comes from a bundled module, not an inline script, so a strict
 * Content-Security-Policy (script-src 'self') keeps working.
 */
import { registerSW } from 'virtual:pwa-register';

/** How often an open tab asks for a new build; a long-lived tab would otherwise never hear. */
const CHECK_EVERY_MS = 60 * 60 * 1000;

export function registerServiceWorker(onUpdate: (apply: () => Promise<void>) => void): void {
  if (!('serviceWorker' in navigator)) return;
  const update = registerSW({
    onNeedRefresh: () => onUpdate(() => update(true)),
    onRegisteredSW: (_url, registration) => {
      if (registration)
        setInterval(() => void registration.update().catch(() => {}), CHECK_EVERY_MS);
    },
  });
}
