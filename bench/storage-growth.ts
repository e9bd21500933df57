/**
 * Storage growth (issue 9): bytes a community's doc takes in IndexedDB after 1,000 posts written
 * one at a time and 5 reloads, in Chromium. Ours (src/store/doc-store.ts, with compaction)
 * against the bytes of one `Y.encodeStateAsUpdate` of the same doc — the least any Yjs store can
 * hold — and against plain y-indexeddb doing the same work in the same run.
 * Target: ours ≤ 1.2 × one state. Bytes are the stored rows' lengths (what the store writes),
 * not the browser's on-disk size, which includes database overhead neither store controls.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInPage } from './page-module';
import type { Benchmark } from './types';

const POSTS = 1_000;
const RELOADS = 5;
const here = dirname(fileURLToPath(import.meta.url));

interface Sizes {
  single: number;
  ours: { rows: number; bytes: number };
  baseline: { rows: number; bytes: number };
  loaded: number;
}

export const storageGrowthBenchmark: Benchmark = {
  name: 'storage growth',
  async run() {
    const sizes = await runInPage<Sizes>(join(here, 'storage/page.ts'), 'storageBench', [
      POSTS,
      RELOADS,
    ]);
    if (sizes.loaded !== POSTS) throw new Error(`baseline reloaded ${sizes.loaded} posts`);
    console.log(
      `  one state ${sizes.single} B; ours ${sizes.ours.bytes} B in ${sizes.ours.rows} rows; ` +
        `y-indexeddb ${sizes.baseline.bytes} B in ${sizes.baseline.rows} rows`,
    );
    const ratio = sizes.ours.bytes / sizes.single;
    return [
      {
        name: `stored bytes after ${POSTS} posts + ${RELOADS} reloads, ours vs one state`,
        ours: sizes.ours.bytes,
        baseline: sizes.single,
        unit: 'B',
        ratio,
        target: 'ratio <= 1.2',
        pass: ratio <= 1.2,
      },
      {
        name: 'same, ours vs plain y-indexeddb',
        ours: sizes.ours.bytes,
        baseline: sizes.baseline.bytes,
        unit: 'B',
        ratio: sizes.ours.bytes / sizes.baseline.bytes,
        target: 'ratio <= 1',
        pass: sizes.ours.bytes <= sizes.baseline.bytes,
      },
    ];
  },
};
