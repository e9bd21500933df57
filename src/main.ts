/**
 * Composition root: the only place that wires store, mesh and community to the UI.
 */
import { createApp } from './app/app';
import { readMeshDegree } from './app/mesh-degree';
import { registerServiceWorker } from './app/pwa';
import { appUpdate } from './ui/state/app-update.svelte';
import { mountUi } from './ui/mount';

const origin = location.origin;
const relay = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/signal`;

/** ICE servers are the relay operator's choice (GET /config); without them, host candidates only. */
async function loadIceServers(): Promise<RTCIceServer[]> {
  try {
    const response = await fetch('/config', { signal: AbortSignal.timeout(3000) });
    const config = (await response.json()) as { iceServers?: unknown };
    return Array.isArray(config.iceServers) ? (config.iceServers as RTCIceServer[]) : [];
  } catch {
    return [];
  }
}

registerServiceWorker((apply) => appUpdate.offer(apply));
const app = createApp({
  origin,
  defaultRelays: [relay],
  iceServers: await loadIceServers(),
  meshDegree: readMeshDegree(),
});
mountUi(document.getElementById('app')!, app);
Object.assign(globalThis, { mootDebug: app.debug });
