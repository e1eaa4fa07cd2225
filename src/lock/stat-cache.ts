/**
 * The stat cache behind `hashFolder`: for each file of a hashed folder, (relative path, size, mtimeMs, inode) →
 * sha256, so that a re-hash reads only files whose stat changed. One file per hashed folder under the cache
 * folder, named by a hash of the folder's absolute path, holding one JSON document (a single JSON.parse is the
 * fastest way to load 100k entries). Written atomically (temp file + rename), so a crash or a concurrent run
 * leaves either the old or the new cache, never half of one. Anything unreadable or malformed is treated as
 * an empty cache: the cost is a re-hash, never a failure.
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

/** Bump when the file layout changes; other versions are ignored (a re-hash), never misread. */
const FORMAT_VERSION = 1;

/** Covers the coarsest common mtime granularity (FAT: 2 s; ext3 and HFS+: 1 s). */
export const RACY_WINDOW_MS = 2000;

/** What a file looked like when it was hashed. */
export interface StatCacheEntry {
  size: number;
  mtimeMs: number;
  ino: number;
  /** Lower-case hex sha256 of the content. */
  sha256: string;
}

/** Entries keyed by the file's path relative to the hashed folder (forward slashes). */
export type StatCache = Map<string, StatCacheEntry>;

interface CacheFile {
  version: number;
  /** The absolute folder path, checked on load so that a name collision can never mix two folders. */
  dir: string;
  /** [relPath, size, mtimeMs, ino, sha256] — arrays rather than objects keep the file and the parse small. */
  entries: [string, number, number, number, string][];
}

/** The cache file for one folder. */
export function statCachePath(cacheDir: string, absDir: string): string {
  const key = createHash('sha256').update(path.resolve(absDir)).digest('hex').slice(0, 32);
  return path.join(cacheDir, `hash-${key}.json`);
}

const HEX64 = /^[0-9a-f]{64}$/;

/** Reads the cache for `absDir`; an absent, unreadable, corrupt or foreign file gives an empty cache. */
export function loadStatCache(cacheDir: string, absDir: string): StatCache {
  const cache: StatCache = new Map();
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(statCachePath(cacheDir, absDir), 'utf8'));
  } catch {
    return cache;
  }
  if (!isCacheFile(doc) || doc.dir !== path.resolve(absDir)) return cache;
  for (const e of doc.entries) {
    if (
      !Array.isArray(e) ||
      e.length !== 5 ||
      typeof e[0] !== 'string' ||
      typeof e[1] !== 'number' ||
      typeof e[2] !== 'number' ||
      typeof e[3] !== 'number' ||
      typeof e[4] !== 'string' ||
      !HEX64.test(e[4])
    ) {
      // One bad entry means the file is not what we wrote: trust none of it.
      return new Map();
    }
    cache.set(e[0], { size: e[1], mtimeMs: e[2], ino: e[3], sha256: e[4] });
  }
  return cache;
}

function isCacheFile(doc: unknown): doc is CacheFile {
  if (typeof doc !== 'object' || doc === null) return false;
  const d = doc as Record<string, unknown>;
  return d['version'] === FORMAT_VERSION && typeof d['dir'] === 'string' && Array.isArray(d['entries']);
}

/**
 * Replaces the cache for `absDir` with `entries`. Failing to write (read-only checkout, full disk) is not an
 * error: the cache only saves time, so the next run simply hashes again.
 */
export function saveStatCache(cacheDir: string, absDir: string, entries: Iterable<[string, StatCacheEntry]>): void {
  const file = statCachePath(cacheDir, absDir);
  const doc: CacheFile = { version: FORMAT_VERSION, dir: path.resolve(absDir), entries: [] };
  for (const [rel, e] of entries) doc.entries.push([rel, e.size, e.mtimeMs, e.ino, e.sha256]);
  try {
    mkdirSync(cacheDir, { recursive: true });
    writeFileAtomic(file, JSON.stringify(doc));
  } catch {
    // Nothing more to do: the next run hashes again.
  }
}
