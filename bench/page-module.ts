/**
 * Runs a benchmark's page module (e.g. bench/governance/page.ts) in Chromium: bundled by Vite
 * and added to a blank page that a route serves on loopback — a secure context, so WebCrypto
 * works, with its own IndexedDB, and no server. The module puts its entry function on
 * globalThis under `fn`; this calls it with `args` and returns what it resolves with.
 */
import { chromium } from '@playwright/test';
import { existsSync } from 'node:fs';
import { build } from 'vite';

async function bundle(entry: string): Promise<string> {
  const output = await build({
    configFile: false,
    logLevel: 'silent',
    build: {
      write: false,
      minify: false,
      lib: { entry, formats: ['iife'], name: 'benchPage' },
    },
  });
  const result = Array.isArray(output) ? output[0]! : output;
  if (!('output' in result)) throw new Error('vite did not return a bundle');
  return result.output[0].code;
}

export async function runInPage<T>(entry: string, fn: string, args: unknown[]): Promise<T> {
  const code = await bundle(entry);
  const browser = await chromium.launch({
    executablePath:
      process.env.CHROMIUM_PATH ??
      (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined),
    args: ['--no-sandbox', '--disable-gpu'],
  });
  try {
    const page = await browser.newPage();
    await page.route('http://localhost:9/**', (route) =>
      route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>bench</title>' }),
    );
    await page.goto('http://localhost:9/');
    await page.addScriptTag({ content: code });
    return (await page.evaluate(
      ([fn, args]) =>
        (globalThis as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[
          fn as string
        ]!(...(args as unknown[])),
      [fn, args] as const,
    )) as T;
  } finally {
    await browser.close();
  }
}
