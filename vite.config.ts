import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';

export default defineConfig({
  plugins: [
    svelte(),
    // The app shell is precached so any Moot URL, invite links included, opens with no network.
    VitePWA({
      registerType: 'prompt',
      // app/pwa.ts registers the worker from the bundle (virtual:pwa-register), CSP-friendly.
      injectRegister: false,
      manifest: {
        name: 'Moot',
        short_name: 'Moot',
        description: 'Peer-to-peer communities: no account, no server that owns anything.',
        theme_color: '#2c55b8',
        background_color: '#f6f5f1',
        display: 'standalone',
        start_url: '/',
        // Rendered from src/ui/icon.svg by scripts/render-icons.ts.
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          {
            src: '/icons/icon-maskable-512.png',
            sizes: '512x512',
            type: 'image/png',
            purpose: 'maskable',
          },
        ],
      },
      workbox: {
        navigateFallback: '/index.html',
        // The relay's own endpoints are live, never the app shell.
        navigateFallbackDenylist: [/^\/(signal|config|healthz|metrics)/],
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'],
      },
    }),
  ],
  build: { target: 'es2022', sourcemap: true },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          // CI has 2 cores shared with a build: allow for a loaded machine.
          testTimeout: 30_000,
          include: ['src/**/*.test.ts', 'signaling/**/*.test.ts', 'test/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        // Rune classes need Svelte's client build, not the server build vitest resolves by default.
        extends: true,
        resolve: { conditions: ['browser'] },
        test: {
          name: 'ui-state',
          include: ['src/ui/**/*.svelte.spec.ts'],
          environment: './src/ui/state/client-environment.ts',
          server: { deps: { inline: [/svelte/] } },
        },
      },
    ],
  },
});
