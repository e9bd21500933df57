/**
 * Runs a benchmark's page module (e.g. bench/governance/page.ts) in Chromium: bundled by Vite
 * and added to a blank page that a route serves on loopback — a secure context, so WebCrypto
 * works, with its own IndexedDB, and no server. The module puts its entry function on
 * globalThis under `fn`; this calls it with `args` and returns what it resolves with. Files the
 * bundle emits beside it (a Worker's script) are served by the same route.
 */
import { chromium } from '@playwright/test';
import { existsSync } from 'node:fs';
import { build } from 'vite';

interface Bundle {
  code: string;
  /** Emitted files by path from the site root, e.g. `/assets/validate-worker-….js`. */
  files: Map<string, string | Uint8Array>;
}

async function bundle(entry: string): Promise<Bundle> {
  const output = await build({
    configFile: false,
    logLevel: 'silent',
    build: {
      write: false,
      minify: false,
      // An ES module, so that `new URL(…, import.meta.url)` finds a Worker's emitted script.
      lib: { entry, formats: ['es'] },
    },
  });
  const result = Array.isArray(output) ? output[0]! : output;
  if (!('output' in result)) throw new Error('vite did not return a bundle');
  const [main, ...rest] = result.output;
  const files = new Map(
    rest.map((f) => [`/${f.fileName}`, f.type === 'chunk' ? f.code : f.source] as const),
  );
  return { code: main.code, files };
}

export async function runInPage<T>(entry: string, fn: string, args: unknown[]): Promise<T> {
  const { code, files } = await bundle(entry);
  const browser = await chromium.launch({
    executablePath:
      process.env.CHROMIUM_PATH ??
      (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined),
    // --expose-gc: a page module may collect garbage before a timed section (governance/page.ts).
    args: ['--no-sandbox', '--disable-gpu', '--js-flags=--expose-gc'],
  });
  try {
    const page = await browser.newPage();
    await page.route('http://localhost:9/**', (route) => {
      const file = files.get(new URL(route.request().url()).pathname);
      if (file === undefined)
        return route.fulfill({
          contentType: 'text/html',
          body: '<!doctype html><title>bench</title>',
        });
      return route.fulfill({ contentType: 'text/javascript', body: Buffer.from(file) });
    });
    await page.goto('http://localhost:9/');
    await page.addScriptTag({ content: code, type: 'module' });
    await page.waitForFunction((fn) => fn in globalThis, fn);
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
