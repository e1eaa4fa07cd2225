/**
 * The stat cache behind `hashFolder`: for each file of a hashed folder, (relative path, size, mtimeMs, inode) →
 * sha256, so that a re-hash reads only files whose stat changed. One file per hashed folder under the cache
 * folder, named by a hash of the folder's absolute path. Written atomically (temp file + rename), so a crash or a
 * concurrent run leaves either the old or the new cache, never half of one. Anything unreadable or malformed is
 * treated as an empty cache: the cost is a re-hash, never a failure.
 *
 * The file is a header line and then one line per file, in the walk's order (byte order of the paths, order.ts):
 * `<sha256 hex> <size> <mtimeMs> <ino> <JSON-quoted path>`. Because the walk produces the same order, loading is a
 * merge of two sorted lists, read from one Buffer: no map of 100k entries and no parsed JSON document are ever
 * held, which keeps a warm re-hash of a 100k-file tree within bench/hash.mjs's memory target (version 1 held both).
 *
 * Racily clean files (git's term): a file rewritten with the same size within the file system's timestamp
 * granularity of being hashed keeps its stat, so its cached hash would go stale unnoticed. Entries whose
 * mtime is within RACY_WINDOW_MS of the start of the run that hashed them are therefore not stored, and are
 * hashed again next time (once they are older they are cached as usual).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../core/fs.js';
import { compareUtf8 } from './order.js';

/** Bump when the file layout changes; other versions are ignored (a re-hash), never misread. */
const FORMAT_VERSION = 2;
const MAGIC = 'tfaml-stat-cache';

/** Covers the coarsest common mtime granularity (FAT: 2 s; ext3 and HFS+: 1 s). */
export const RACY_WINDOW_MS = 2000;

/** What a file looked like when it was hashed, and its path relative to the hashed folder (forward slashes). */
export interface StatCacheEntry {
  rel: string;
  size: number;
  mtimeMs: number;
  ino: number;
  /** Lower-case hex sha256 of the content. */
  sha256: string;
}

export function statCachePath(cacheDir: string, absDir: string): string {
  const key = createHash('sha256').update(path.resolve(absDir)).digest('hex').slice(0, 32);
  return path.join(cacheDir, `hash-${key}.txt`);
}

const HEX64 = /^[0-9a-f]{64}$/;
const NL = 0x0a;
const SP = 0x20;
const QUOTE = 0x22;
/** A backslash or a quote between the quotes: the path was escaped (or the line is not ours), JSON.parse decides. */
const ESCAPES = 0x5c;

/**
 * Finds the cached hash of each of `files` (in the walk's order) whose size, mtime and inode are unchanged and calls
 * `hit` with its index and sha256. Returns how many entries the cache holds (0 when there is none or it cannot be
 * trusted, in which case `hit` is never called): one malformed or out-of-order line means the file is not what
 * tfaml wrote, and none of it is used.
 */
export function applyStatCache(
  cacheDir: string,
  absDir: string,
  files: readonly Omit<StatCacheEntry, 'sha256'>[],
  hit: (index: number, sha256: string) => void,
): number {
  let buf: Buffer;
  try {
    buf = readFileSync(statCachePath(cacheDir, absDir));
  } catch {
    return 0;
  }
  let pos = buf.indexOf(NL);
  if (pos < 0 || buf.toString('utf8', 0, pos) !== header(absDir)) return 0;
  pos++;
  const hitIndex: number[] = [];
  const hitSha: string[] = [];
  let count = 0;
  let prev: string | undefined;
  let i = 0;
  while (pos < buf.length) {
    const end = buf.indexOf(NL, pos);
    if (end < 0) return 0;
    const fields: string[] = [];
    let at = pos;
    for (let k = 0; k < 4; k++) {
      const sp = buf.indexOf(SP, at);
      if (sp < 0 || sp > end) return 0;
      fields.push(buf.toString('latin1', at, sp));
      at = sp + 1;
    }
    const [sha256, sizeText, mtimeText, inoText] = fields as [string, string, string, string];
    const size = Number(sizeText);
    const mtimeMs = Number(mtimeText);
    const ino = Number(inoText);
    let rel: unknown;
    if (
      buf[at] === QUOTE &&
      buf[end - 1] === QUOTE &&
      end - at >= 2 &&
      !buf.subarray(at + 1, end - 1).includes(ESCAPES) &&
      !buf.subarray(at + 1, end - 1).includes(QUOTE)
    )
      rel = buf.toString('utf8', at + 1, end - 1); // nothing escaped (the common case): the bytes between the quotes
    else {
      try {
        rel = JSON.parse(buf.toString('utf8', at, end));
      } catch {
        return 0;
      }
    }
    if (
      !HEX64.test(sha256) ||
      !Number.isFinite(size) ||
      !Number.isFinite(mtimeMs) ||
      !Number.isFinite(ino) ||
      typeof rel !== 'string' ||
      (prev !== undefined && compareUtf8(prev, rel) >= 0)
    )
      return 0;
    prev = rel;
    count++;
    pos = end + 1;
    while (i < files.length && compareUtf8((files[i] as StatCacheEntry).rel, rel) < 0) i++;
    const f = files[i];
    if (f !== undefined && f.rel === rel && f.size === size && f.mtimeMs === mtimeMs && f.ino === ino) {
      hitIndex.push(i);
      hitSha.push(sha256);
    }
  }
  hitIndex.forEach((index, k) => hit(index, hitSha[k] as string));
  return count;
}

function header(absDir: string): string {
  return `${MAGIC} ${FORMAT_VERSION} ${JSON.stringify(path.resolve(absDir))}`;
}

/** Writes the cache of absDir; `entries` come in the walk's order. A failure to write only costs the next run a re-hash. */
export function saveStatCache(cacheDir: string, absDir: string, entries: Iterable<StatCacheEntry>): void {
  const file = statCachePath(cacheDir, absDir);
  // Built in pieces outside the JS heap: a 100k-file cache is 11 MiB of text.
  const parts: Buffer[] = [];
  let text = `${header(absDir)}\n`;
  for (const e of entries) {
    text += `${e.sha256} ${e.size} ${e.mtimeMs} ${e.ino} ${JSON.stringify(e.rel)}\n`;
    if (text.length > 65536) {
      parts.push(Buffer.from(text, 'utf8'));
      text = '';
    }
  }
  parts.push(Buffer.from(text, 'utf8'));
  try {
    mkdirSync(cacheDir, { recursive: true });
    writeFileAtomic(file, Buffer.concat(parts));
  } catch {
    // Nothing more to do: the next run hashes again.
  }
}
