/**
 * Where the hash worker's code is (hash-worker.ts), for `new Worker(...)` in pool.ts.
 *
 * From the bundle: `hash-worker.js`, an esbuild entry point of its own (scripts/build.mjs, bench/hash.mjs), at the
 * top of the output folder. This module is bundled either into an entry point beside it or into a chunk one folder
 * below (`chunks/`, scripts/build.mjs's chunkNames), so both places are looked at.
 *
 * From the TypeScript sources (vitest runs them through vite, which does not reach worker threads, and Node 20
 * cannot load TypeScript): hash-worker.ts is bundled on the spot with esbuild, a dev dependency and so installed
 * wherever the sources run, and started as a `data:` URL. The worker then runs the same code as from dist/, so
 * the tests exercise the worker path too. esbuild is loaded through createRequire so that the bundle never
 * follows it.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

let cached: URL | undefined;

/** The worker's URL: a file: URL from the bundle, a data: URL from the sources (built once per process). */
export function hashWorkerUrl(): URL {
  cached ??= import.meta.url.endsWith('.ts') ? fromSources(import.meta.url) : bundled(import.meta.url);
  return cached;
}

/** The bundle's hash-worker.js, seen from the bundled module at `moduleUrl`. */
export function bundled(moduleUrl: string): URL {
  const candidates = [new URL('./hash-worker.js', moduleUrl), new URL('../hash-worker.js', moduleUrl)];
  const found = candidates.find((u) => existsSync(fileURLToPath(u)));
  if (found === undefined) {
    throw new Error(
      `the hash worker is missing from the bundle: none of ${candidates.map((u) => fileURLToPath(u)).join(', ')} exists; rebuild (npm run build)`,
    );
  }
  return found;
}

function fromSources(moduleUrl: string): URL {
  interface Esbuild {
    buildSync(options: Record<string, unknown>): { outputFiles: { text: string }[] };
  }
  const esbuild = createRequire(moduleUrl)('esbuild') as Esbuild;
  const { outputFiles } = esbuild.buildSync({
    entryPoints: [fileURLToPath(new URL('./hash-worker.ts', moduleUrl))],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  });
  const code = outputFiles[0]?.text ?? '';
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}
