import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';

export default defineConfig({
  plugins: [
    svelte(),
    // The app shell is precached so any Moot URL, invite links included, opens with no network.
    VitePWA({
      registerType: 'prompt',
      injectRegister: 'script',
      manifest: {
        name: 'Moot',
        short_name: 'Moot',
        description: 'Peer-to-peer communities: no account, no server that owns anything.',
        theme_color: '#2f5d50',
        background_color: '#ffffff',
        display: 'standalone',
        start_url: '/',
        icons: [],
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
