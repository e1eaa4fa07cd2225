import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/core/errors.js';
import { hashFile, hashFolder, type HashProgress } from '../../src/lock/hash.js';

const temps: string[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
});

function tmp(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tfaml-hash-'));
  temps.push(dir);
  return dir;
}

/** Writes files (relative path → content) under dir. */
function writeTree(dir: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), content);
  }
}

/** Backdates every file, as the stat cache keeps only files that have not changed in the last seconds. */
function backdate(dir: string, secondsAgo = 3600): void {
  const t = Date.now() / 1000 - secondsAgo;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) utimesSync(path.join(e.parentPath, e.name), t, t);
  }
}

/** The documented definition, computed independently: sort by UTF-8 bytes, `<rel>\0<size>\0<hex>\n`. */
function expectedHash(files: Record<string, string | Buffer>): string {
  const entries = Object.entries(files).map(([rel, content]) => {
    const data = Buffer.from(content);
    return { rel: Buffer.from(rel, 'utf8'), size: data.length, hex: createHash('sha256').update(data).digest('hex') };
  });
  entries.sort((a, b) => Buffer.compare(a.rel, b.rel));
  const h = createHash('sha256');
  for (const e of entries) {
    h.update(e.rel);
    h.update(`\u0000${e.size}\u0000${e.hex}\n`);
  }
  return `sha256:${h.digest('hex')}`;
}

/** Deterministic pseudo-random bytes, so that multi-chunk files are not all one byte. */
function bytes(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
}

const FIXTURE: Record<string, string | Buffer> = {
  'a.txt': 'alpha\n',
  // 'a.txt' < 'a/b.txt' in byte order ('.' 0x2E < '/' 0x2F): a naive depth-first order gets this wrong.
  'a/b.txt': 'bravo\n',
  'a/c/d.bin': bytes(1024 * 1024 + 123, 7), // several read chunks
  'empty.txt': '',
  'Z.txt': 'upper case sorts first\n',
  // U+FF21 (3 UTF-8 bytes, EF BC A1) sorts before U+1F600 (4 bytes, F0 ...) in UTF-8 but after it in UTF-16.
  '\uFF21.txt': 'fullwidth A\n',
  '\u{1F600}.txt': 'emoji\n',
  'sp ace/ü.txt': 'non-ascii\n',
};

async function expectConfigError(p: Promise<unknown>, message: RegExp, file?: string): Promise<ConfigurationError> {
  await expect(p).rejects.toThrow(message);
  await expect(p).rejects.toBeInstanceOf(ConfigurationError);
  const err = (await p.catch((e: unknown) => e)) as ConfigurationError;
  if (file !== undefined) expect(err.location?.file).toBe(file);
  return err;
}

describe('hashFolder', () => {
  it('hashes the documented serialisation of the sorted entries', async () => {
    const dir = tmp();
    writeTree(dir, FIXTURE);
    const result = await hashFolder(dir, 'data');
    expect(result.hash).toBe(expectedHash(FIXTURE));
    expect(result.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(result.files).toBe(Object.keys(FIXTURE).length);
    expect(result.bytes).toBe(Object.values(FIXTURE).reduce((n, c) => n + Buffer.from(c).length, 0));
    expect(result.cachedFiles).toBe(0);
  });

  it('gives the same hash with 1, 2 or 4 workers and with or without the cache', async () => {
    const dir = tmp();
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < 300; i++) files[`d${i % 7}/f${i}.bin`] = bytes(i * 37 + (i % 5) * 70_000, i + 1);
    writeTree(dir, files);
    backdate(dir);
    const want = expectedHash(files);
    const cacheDir = path.join(tmp(), 'cache');
    for (const workers of [1, 2, 4]) expect((await hashFolder(dir, 'data', { workers })).hash).toBe(want);
    const cold = await hashFolder(dir, 'data', { workers: 2, cacheDir });
    const warm = await hashFolder(dir, 'data', { workers: 2, cacheDir });
    expect([cold.hash, warm.hash]).toEqual([want, want]);
    expect([cold.cachedFiles, warm.cachedFiles]).toEqual([0, 300]);
  });

  it('reads only changed files when the cache is warm, and sees a same-size change', async () => {
    const dir = tmp();
    const files: Record<string, string> = { 'x.csv': 'a,b\n1,2\n', 'y.csv': 'c,d\n3,4\n', 'sub/z.csv': 'e\n5\n' };
    writeTree(dir, files);
    backdate(dir, 7200);
    const cacheDir = path.join(tmp(), 'cache');

    const first = await hashFolder(dir, 'data', { cacheDir });
    expect(first.cachedFiles).toBe(0);
    const second = await hashFolder(dir, 'data', { cacheDir });
    expect(second).toEqual({ ...first, cachedFiles: 3 });

    // Same size, different content, newer (but settled) mtime.
    const changed = { ...files, 'y.csv': 'c,d\n9,9\n' };
    writeFileSync(path.join(dir, 'y.csv'), changed['y.csv']);
    const t = Date.now() / 1000 - 3600;
    utimesSync(path.join(dir, 'y.csv'), t, t);
    const third = await hashFolder(dir, 'data', { cacheDir });
    expect(third.hash).toBe(expectedHash(changed));
    expect(third.hash).not.toBe(first.hash);
    expect(third.cachedFiles).toBe(2);
    expect((await hashFolder(dir, 'data', { cacheDir })).cachedFiles).toBe(3);
  });

  it('proves cache hits are not read: a stale cache entry with matching stat wins', async () => {
    // The only way to observe "not read" as root: forge the cached hash and see it come back.
    const dir = tmp();
    writeTree(dir, { 'one.txt': 'one\n', 'two.txt': 'two\n' });
    backdate(dir);
    const cacheDir = path.join(tmp(), 'cache');
    await hashFolder(dir, 'data', { cacheDir });
    const [cacheFile] = readdirSync(cacheDir);
    const cachePath = path.join(cacheDir, cacheFile as string);
    const forged = 'f'.repeat(64);
    const lines = readFileSync(cachePath, 'utf8').split('\n');
    expect(lines[1]).toMatch(/^[0-9a-f]{64} 4 [0-9.]+ \d+ "one\.txt"$/);
    writeFileSync(cachePath, lines.map((l) => (l.endsWith(' "one.txt"') ? forged + l.slice(64) : l)).join('\n'));
    const result = await hashFolder(dir, 'data', { cacheDir });
    expect(result.cachedFiles).toBe(2);
    const h = createHash('sha256');
    h.update(`one.txt\u00004\u0000${forged}\n`);
    h.update(`two.txt\u00004\u0000${createHash('sha256').update('two\n').digest('hex')}\n`);
    expect(result.hash).toBe(`sha256:${h.digest('hex')}`);
  });

  it('keeps paths with spaces, quotes, line breaks and non-ASCII letters in the cache', async () => {
    const dir = tmp();
    const names = ['a b.txt', 'q"uote.txt', 'line\nbreak.txt', 'ü/é.txt', 'z.txt'];
    writeTree(dir, Object.fromEntries(names.map((n) => [n, n])));
    backdate(dir);
    const cacheDir = path.join(tmp(), 'cache');
    const cold = await hashFolder(dir, 'data', { cacheDir });
    expect(await hashFolder(dir, 'data', { cacheDir })).toEqual({ ...cold, cachedFiles: names.length });
  });

  it('does not rewrite the cache when nothing changed, and drops entries of deleted files', async () => {
    const dir = tmp();
    writeTree(dir, { 'a.txt': 'a', 'b.txt': 'b' });
    backdate(dir);
    const cacheDir = path.join(tmp(), 'cache');
    await hashFolder(dir, 'data', { cacheDir });
    const [cacheFile] = readdirSync(cacheDir);
    const cachePath = path.join(cacheDir, cacheFile as string);
    const past = Math.floor(Date.now() / 1000) - 100;
    utimesSync(cachePath, past, past);
    const content = readFileSync(cachePath, 'utf8');
    expect((await hashFolder(dir, 'data', { cacheDir })).cachedFiles).toBe(2);
    expect(statSync(cachePath).mtimeMs).toBe(past * 1000);
    expect(readFileSync(cachePath, 'utf8')).toBe(content);

    rmSync(path.join(dir, 'b.txt'));
    await hashFolder(dir, 'data', { cacheDir });
    const paths = readFileSync(cachePath, 'utf8')
      .split('\n')
      .slice(1, -1)
      .map((l) => JSON.parse(l.split(' ').slice(4).join(' ')) as string);
    expect(paths).toEqual(['a.txt']);
    expect(readdirSync(cacheDir)).toEqual([cacheFile]); // no temp files left behind
  });

  it('does not cache files modified moments ago (their stat could hide a change)', async () => {
    const dir = tmp();
    writeTree(dir, { 'fresh.txt': 'just written' });
    const cacheDir = path.join(tmp(), 'cache');
    await hashFolder(dir, 'data', { cacheDir });
    expect((await hashFolder(dir, 'data', { cacheDir })).cachedFiles).toBe(0);
  });

  // The cache's lines: a header, one line per file (a.txt, b/c.txt), and the empty string after the final line break.
  it.each<[string, (lines: string[]) => string]>([
    ['garbage', () => 'not a cache at all {'],
    ['empty file', () => ''],
    ['the v1 JSON layout', () => JSON.stringify({ version: 1, dir: '/x', entries: [] })],
    ['other version', (l) => [l[0]!.replace(' 2 ', ' 99 '), ...l.slice(1)].join('\n')],
    ['other folder', (l) => [l[0]!.replace(/"$/, '-else"'), ...l.slice(1)].join('\n')],
    ['a size that is not a number', (l) => [l[0], l[1]!.replace(/^(\S+) 1 /, '$1 one '), ...l.slice(2)].join('\n')],
    ['lines out of order', (l) => [l[0], l[2], l[1], ...l.slice(3)].join('\n')],
    ['a file cut short (no final line break)', (l) => l.slice(0, -1).join('\n')],
    [
      // One malformed entry: none of the file is trusted, not even the well-formed (here forged) entries.
      'one bad entry',
      (l) => [l[0], ...l.slice(1, -1).map((e) => 'f'.repeat(64) + e.slice(64)), `zz 1 2 3 "zz"`, ''].join('\n'),
    ],
  ])('ignores a corrupt cache file (%s) and rewrites it', async (_name, corrupt) => {
    const dir = tmp();
    writeTree(dir, { 'a.txt': 'a', 'b/c.txt': 'c' });
    backdate(dir);
    const cacheDir = path.join(tmp(), 'cache');
    await hashFolder(dir, 'data', { cacheDir });
    const [cacheFile] = readdirSync(cacheDir);
    const cachePath = path.join(cacheDir, cacheFile as string);
    const lines = readFileSync(cachePath, 'utf8').split('\n');
    expect(lines).toHaveLength(4);
    writeFileSync(cachePath, corrupt(lines));
    const result = await hashFolder(dir, 'data', { cacheDir });
    expect(result.hash).toBe(expectedHash({ 'a.txt': 'a', 'b/c.txt': 'c' }));
    expect(result.cachedFiles).toBe(0);
    expect((await hashFolder(dir, 'data', { cacheDir })).cachedFiles).toBe(2);
  });

  it('follows symbolic links that stay inside the folder, under the link name', async () => {
    const dir = tmp();
    writeTree(dir, { 'real/x.txt': 'x', 'y.txt': 'y' });
    symlinkSync('real', path.join(dir, 'linked-dir'));
    symlinkSync('real/x.txt', path.join(dir, 'linked-file.txt'));
    symlinkSync(path.join(dir, 'y.txt'), path.join(dir, 'abs-link.txt')); // absolute target, still inside
    const result = await hashFolder(dir, 'data');
    expect(result.hash).toBe(
      expectedHash({
        'real/x.txt': 'x',
        'y.txt': 'y',
        'linked-dir/x.txt': 'x',
        'linked-file.txt': 'x',
        'abs-link.txt': 'y',
      }),
    );
  });

  it('reports progress throttled, ending with the totals', async () => {
    const dir = tmp();
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < 2000; i++) files[`p/${i}.bin`] = bytes(64, i + 1);
    for (let i = 0; i < 24; i++) files[`big/${i}.bin`] = bytes(4 * 1024 * 1024, i + 1);
    writeTree(dir, files);
    const calls: HashProgress[] = [];
    const start = performance.now();
    const result = await hashFolder(dir, 'data', { workers: 2, onProgress: (p) => calls.push(p) });
    const elapsed = performance.now() - start;
    expect(result.files).toBe(2024);
    expect(calls.length).toBeGreaterThanOrEqual(1);
    expect(calls.length).toBeLessThanOrEqual(Math.ceil(elapsed / 250) + 1);
    expect(calls.at(-1)).toEqual({ files: 2024, totalFiles: 2024, bytes: result.bytes, totalBytes: result.bytes });
    for (let i = 1; i < calls.length; i++) {
      expect(calls[i]!.bytes).toBeGreaterThanOrEqual(calls[i - 1]!.bytes);
      expect(calls[i]!.files).toBeLessThanOrEqual(calls[i]!.totalFiles);
    }
  });

  describe('refuses what cannot be hashed', () => {
    it('a symbolic link to a file outside the folder', async () => {
      const outside = tmp();
      writeFileSync(path.join(outside, 'secret.csv'), 'x');
      const dir = tmp();
      writeTree(dir, { 'ok.txt': 'ok' });
      symlinkSync(path.join(outside, 'secret.csv'), path.join(dir, 'link.csv'));
      const err = await expectConfigError(
        hashFolder(dir, 'data/flowers', { cacheDir: path.join(tmp(), 'c') }),
        /^data\/flowers\/link\.csv is a symbolic link to .*secret\.csv, which points outside the data folder data\/flowers; copy the file .*into data\/flowers.* or remove the link/,
        'data/flowers/link.csv',
      );
      expect(err.exitCode).toBe(2);
    });

    it('a symbolic link to a folder outside, via ..', async () => {
      const parent = tmp();
      writeTree(parent, { 'data/a.txt': 'a', 'elsewhere/b.txt': 'b' });
      symlinkSync('../elsewhere', path.join(parent, 'data', 'more'));
      await expectConfigError(
        hashFolder(path.join(parent, 'data'), 'data'),
        /data\/more .*points outside the data folder data/,
        'data/more',
      );
    });

    it('a folder link back to an ancestor', async () => {
      const dir = tmp();
      writeTree(dir, { 'a/b/file.txt': 'f' });
      symlinkSync('../..', path.join(dir, 'a', 'b', 'up'));
      await expectConfigError(hashFolder(dir, 'data'), /data\/a\/b\/up is a symbolic link loop/, 'data/a/b/up');
    });

    it('a link to the folder itself', async () => {
      const dir = tmp();
      writeTree(dir, { 'file.txt': 'f' });
      symlinkSync('.', path.join(dir, 'self'));
      await expectConfigError(hashFolder(dir, 'data'), /data\/self is a symbolic link loop/, 'data/self');
    });

    it('two folder links that lead into each other', async () => {
      const dir = tmp();
      writeTree(dir, { 'a/x.txt': 'x', 'b/y.txt': 'y' });
      symlinkSync('../b', path.join(dir, 'a', 'to-b'));
      symlinkSync('../a', path.join(dir, 'b', 'to-a'));
      // Found at the first link that re-enters a folder being walked, not by running into ELOOP much later.
      const err = await expectConfigError(
        hashFolder(dir, 'data'),
        /^data\/a\/to-b\/to-a is a symbolic link loop/,
        'data/a/to-b/to-a',
      );
      expect(err.describe().split('\n')).toEqual([
        expect.stringMatching(/^data\/a\/to-b\/to-a: /),
        expect.stringMatching(/^data\/b\/to-a\/to-b: data\/b\/to-a\/to-b is a symbolic link loop/),
      ]);
    });

    it('a cycle of links (ELOOP)', async () => {
      const dir = tmp();
      writeTree(dir, { 'ok.txt': 'ok' });
      symlinkSync('l2', path.join(dir, 'l1'));
      symlinkSync('l1', path.join(dir, 'l2'));
      const err = await expectConfigError(hashFolder(dir, 'data'), /data\/l1 is a symbolic link loop/, 'data/l1');
      expect(err.describe()).toMatch(/data\/l2: data\/l2 is a symbolic link loop/); // both, in one run
    });

    it('a broken link', async () => {
      const dir = tmp();
      writeTree(dir, { 'ok.txt': 'ok' });
      symlinkSync('gone.txt', path.join(dir, 'dangling'));
      await expectConfigError(hashFolder(dir, 'data'), /data\/dangling is a broken symbolic link/, 'data/dangling');
    });

    it('a named pipe', async () => {
      const dir = tmp();
      writeTree(dir, { 'ok.txt': 'ok' });
      execFileSync('mkfifo', [path.join(dir, 'pipe')]);
      await expectConfigError(hashFolder(dir, 'data'), /data\/pipe is a named pipe \(FIFO\)/, 'data/pipe');
    });

    // hashFolder walks synchronously and reads nothing before its first await, so a change made right after the
    // call lands between the walk and the reading: the race a user hits when something writes to the folder.
    it('a file deleted between the walk and the read (read on the calling thread)', async () => {
      const dir = tmp();
      writeTree(dir, { 'keep.txt': 'k', 'gone.txt': 'g' });
      const p = hashFolder(dir, 'data', { workers: 1 });
      rmSync(path.join(dir, 'gone.txt'));
      await expectConfigError(
        p,
        /^data\/gone\.txt disappeared while the data was being hashed; run again/,
        'data/gone.txt',
      );
    });

    it('a file deleted between the walk and the read (read in a worker thread)', async () => {
      const dir = tmp();
      const files: Record<string, string> = { 'victim.txt': 'v'.repeat(1000) };
      for (let i = 0; i < 600; i++) files[`f${i}.txt`] = 'x';
      writeTree(dir, files);
      // Largest first: victim.txt leads the first batch, which goes to the first worker.
      const p = hashFolder(dir, 'data', { workers: 2 });
      rmSync(path.join(dir, 'victim.txt'));
      await expectConfigError(p, /^data\/victim\.txt disappeared while the data was being hashed/, 'data/victim.txt');
    });

    it('a file that grows while it is hashed', async () => {
      const dir = tmp();
      writeTree(dir, { 'log.txt': 'line 1\n' });
      const p = hashFolder(dir, 'data', { workers: 1 });
      writeFileSync(path.join(dir, 'log.txt'), 'line 1\nline 2\n');
      await expectConfigError(p, /^data\/log\.txt changed while it was being hashed/, 'data/log.txt');
    });

    // Root reads everything, so these run only as an ordinary user (as on GitHub-hosted runners).
    it.skipIf(process.getuid?.() === 0)('an unreadable file and an unreadable folder, both at once', async () => {
      const dir = tmp();
      writeTree(dir, { 'ok.txt': 'ok', 'locked.txt': 'no', 'closed/inner.txt': 'no' });
      chmodSync(path.join(dir, 'locked.txt'), 0o000);
      chmodSync(path.join(dir, 'closed'), 0o000);
      try {
        const err = await expectConfigError(
          hashFolder(dir, 'data'),
          /cannot read folder data\/closed: permission denied; fix its permissions/,
        );
        expect(err.more.map((e) => e.message)).toEqual([]); // the walk stops before reading files when folders fail
        chmodSync(path.join(dir, 'closed'), 0o755);
        await expectConfigError(
          hashFolder(dir, 'data'),
          /cannot read file data\/locked\.txt: permission denied; fix its permissions/,
          'data/locked.txt',
        );
      } finally {
        chmodSync(path.join(dir, 'closed'), 0o755);
        chmodSync(path.join(dir, 'locked.txt'), 0o644);
      }
    });

    it('an empty folder, even with empty subfolders', async () => {
      const dir = tmp();
      mkdirSync(path.join(dir, 'sub', 'deeper'), { recursive: true });
      await expectConfigError(hashFolder(dir, 'data/empty'), /the data folder data\/empty is empty/, 'data/empty');
    });

    it('a path that is a file', async () => {
      const dir = tmp();
      writeFileSync(path.join(dir, 'f.csv'), 'x');
      await expectConfigError(
        hashFolder(path.join(dir, 'f.csv'), 'data/f.csv'),
        /data\/f\.csv is not a folder/,
        'data/f.csv',
      );
    });

    it('a path that does not exist', async () => {
      const dir = tmp();
      await expectConfigError(
        hashFolder(path.join(dir, 'nope'), 'data/nope'),
        /the data folder data\/nope does not exist/,
        'data/nope',
      );
    });
  });
});

describe('hashFile', () => {
  it('streams a multi-chunk file to its sha256', async () => {
    const dir = tmp();
    const data = bytes(3 * 1024 * 1024 + 5, 99);
    writeFileSync(path.join(dir, 'm.bin'), data);
    expect(await hashFile(path.join(dir, 'm.bin'))).toBe(`sha256:${createHash('sha256').update(data).digest('hex')}`);
  });
});
