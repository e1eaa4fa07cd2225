/**
 * The compile cache the bin loads validate's bundle through (src/entries/compile-cache.ts), on small bundles of its
 * own: what it uses, what it refuses, and that a bundle always runs as the text on disk says.
 */
import {
  chmodSync,
  chownSync,
  copyFileSync,
  mkdirSync,
  readdirSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { cacheDir, loadBundle } from '../../src/entries/compile-cache.js';
import { tempDir } from '../helpers/project.js';

type Answer = { answer(): string };

const MTIME = 1_700_000_000;

/** A CommonJS bundle answering `text`, with enough functions that V8's cache for it is worth the name. */
function bundle(dir: string, text: string): string {
  const file = path.join(dir, 'b.cjs');
  const fns = Array.from({ length: 50 }, (_, i) => `function f${i}(x) { return x + ${i}; }`).join('\n');
  writeFileSync(
    file,
    `${fns}\nconst p = require('node:path');\nmodule.exports.answer = () => ${JSON.stringify(text)} + f1(0) + p.basename(__filename) + (this === module.exports);\n`,
  );
  // One modification time for every bundle and copy: an entry is named by it too, and the tests compare texts.
  utimesSync(file, MTIME, MTIME);
  return file;
}

const off = { enableNodeCache: undefined };

/**
 * The same bundle from another folder: V8 keeps what it compiled in this process keyed by the script's name, and would
 * answer a second load of the same file itself without looking at the cache given to it.
 */
function again(file: string): string {
  const copy = path.join(tempDir(), path.basename(file));
  copyFileSync(file, copy);
  utimesSync(copy, MTIME, MTIME);
  return copy;
}

describe('loadBundle on Node without its own compile cache', () => {
  it('runs the bundle as a CommonJS module: require, module.exports, __filename, this', () => {
    const dir = tempDir('cc ü ');
    const b = loadBundle<Answer>(bundle(dir, 'a'), { ...off, env: { NODE_COMPILE_CACHE: path.join(dir, 'cache') } });
    expect(b.exports.answer()).toBe('a1b.cjstrue');
  });

  it('a miss is written after the run, then used (hit), and never written again', () => {
    const dir = tempDir();
    const env = { NODE_COMPILE_CACHE: path.join(dir, 'cache') };
    const file = bundle(dir, 'a');
    const first = loadBundle<Answer>(file, { ...off, env });
    expect(first.use).toBe('miss');
    first.exports.answer();
    first.save(true);
    expect(readdirSync(env.NODE_COMPILE_CACHE)).toEqual([path.basename(first.file!)]);
    const written = statSync(first.file!).mtimeMs;
    const second = loadBundle<Answer>(again(file), { ...off, env });
    expect(second.use).toBe('hit');
    expect(second.exports.answer()).toBe('a1b.cjstrue');
    second.save(true);
    expect(statSync(first.file!).mtimeMs).toBe(written);
  });

  it('a bundle whose text changed (even to the same length) never meets the old entry', () => {
    const dir = tempDir();
    const env = { NODE_COMPILE_CACHE: path.join(dir, 'cache') };
    const a = loadBundle<Answer>(bundle(dir, 'a'), { ...off, env });
    a.exports.answer();
    a.save(true);
    const b = loadBundle<Answer>(bundle(dir, 'b'), { ...off, env });
    expect(b.use).toBe('miss');
    expect(b.file).not.toBe(a.file);
    expect(b.exports.answer()).toBe('b1b.cjstrue');
  });

  it('with the build’s hash of the text, a bundle edited after the build (a new mtime) still misses', () => {
    const dir = tempDir();
    const env = { NODE_COMPILE_CACHE: path.join(dir, 'cache') };
    const file = bundle(dir, 'a');
    loadBundle<Answer>(file, { ...off, env, id: 'build-1' }).save(true);
    expect(loadBundle<Answer>(again(file), { ...off, env, id: 'build-1' }).use).toBe('hit');
    const edited = again(file);
    utimesSync(edited, MTIME + 1, MTIME + 1);
    expect(loadBundle<Answer>(edited, { ...off, env, id: 'build-1' }).use).toBe('miss');
  });

  it('an entry V8 refuses (another V8, other flags, garbage) is rejected, then replaced', () => {
    const dir = tempDir();
    const env = { NODE_COMPILE_CACHE: path.join(dir, 'cache') };
    const file = bundle(dir, 'a');
    const first = loadBundle<Answer>(file, { ...off, env });
    first.save(true);
    writeFileSync(first.file!, Buffer.alloc(4096, 7));
    const refused = loadBundle<Answer>(again(file), { ...off, env });
    expect(refused.use).toBe('rejected');
    expect(refused.exports.answer()).toBe('a1b.cjstrue');
    refused.save(true);
    expect(loadBundle<Answer>(again(file), { ...off, env }).use).toBe('hit');

    // Refused, then a run that stops early: its entry is the one the next run meets.
    writeFileSync(first.file!, Buffer.alloc(4096, 7));
    const early = loadBundle<Answer>(again(file), { ...off, env });
    expect(early.use).toBe('rejected');
    early.save(false);
    expect(readdirSync(env.NODE_COMPILE_CACHE)).toEqual([expect.stringMatching(/\.partial\.v8$/)]);
    expect(loadBundle<Answer>(again(file), { ...off, env }).use).toBe('partial');
  });

  it('the entry of a run that stopped early is used until a complete run replaces it', () => {
    const dir = tempDir();
    const env = { NODE_COMPILE_CACHE: path.join(dir, 'cache') };
    const file = bundle(dir, 'a');
    loadBundle<Answer>(file, { ...off, env }).save(false);
    const [partial] = readdirSync(env.NODE_COMPILE_CACHE);
    expect(partial).toMatch(/\.partial\.v8$/);
    const second = loadBundle<Answer>(again(file), { ...off, env });
    expect(second.use).toBe('partial');
    second.save(false);
    expect(readdirSync(env.NODE_COMPILE_CACHE)).toEqual([partial]);
    second.exports.answer();
    second.save(true);
    expect(readdirSync(env.NODE_COMPILE_CACHE)).toEqual([path.basename(second.file!)]);
    expect(second.file).toMatch(/[^l]\.v8$/);
    expect(loadBundle<Answer>(again(file), { ...off, env }).use).toBe('hit');
  });

  it('is off in a folder others may write to, and with NODE_DISABLE_COMPILE_CACHE', () => {
    const dir = tempDir();
    const shared = path.join(dir, 'shared');
    mkdirSync(shared);
    chmodSync(shared, 0o777);
    const b = loadBundle<Answer>(bundle(dir, 'a'), { ...off, env: { NODE_COMPILE_CACHE: shared } });
    expect(b.use).toBe('off');
    b.save(true);
    expect(readdirSync(shared)).toEqual([]);
    expect(b.exports.answer()).toBe('a1b.cjstrue');

    const env = { NODE_COMPILE_CACHE: path.join(dir, 'cache'), NODE_DISABLE_COMPILE_CACHE: '1' };
    expect(cacheDir(env)).toBeUndefined();
    expect(loadBundle<Answer>(bundle(dir, 'a'), { ...off, env }).use).toBe('off');
  });

  it.skipIf(process.getuid?.() !== 0)('an entry someone else owns is not read (as root, which can chown)', () => {
    const dir = tempDir();
    const env = { NODE_COMPILE_CACHE: path.join(dir, 'cache') };
    const file = bundle(dir, 'a');
    const first = loadBundle<Answer>(file, { ...off, env });
    first.save(true);
    chownSync(first.file!, 4242, 4242);
    expect(loadBundle<Answer>(again(file), { ...off, env }).use).toBe('miss');
  });

  it('creates its folder for this user alone; the default is in the temporary directory', () => {
    const dir = tempDir();
    const env = { NODE_COMPILE_CACHE: path.join(dir, 'a', 'b') };
    loadBundle<Answer>(bundle(dir, 'a'), { ...off, env }).save(true);
    expect(statSync(env.NODE_COMPILE_CACHE).mode & 0o077).toBe(0);
    expect(cacheDir({ TMPDIR: dir })).toMatch(/tfaml-compile-cache$/);
  });
});

describe('loadBundle where Node has its own compile cache (≥ 22.1)', () => {
  it('switches it on and requires the bundle, unless NODE_DISABLE_COMPILE_CACHE says no', () => {
    const dir = tempDir();
    const enableNodeCache = vi.fn();
    const b = loadBundle<Answer>(bundle(dir, 'n'), { enableNodeCache, env: {} });
    expect(enableNodeCache).toHaveBeenCalledTimes(1);
    expect(b.use).toBe('node');
    expect(b.exports.answer()).toBe('n1b.cjstrue');
    const disabled = loadBundle<Answer>(bundle(tempDir(), 'n'), {
      enableNodeCache,
      env: { NODE_DISABLE_COMPILE_CACHE: '1', NODE_COMPILE_CACHE: path.join(dir, 'c') },
    });
    expect(enableNodeCache).toHaveBeenCalledTimes(1);
    expect(disabled.use).toBe('off');
  });
});
