/**
 * The embedded production store (src/promote/store.ts): a LocalRegistry (immutable versions, staged then renamed
 * into place) plus the champion log in `models/<name>/.champion.json` (the champion and its history), and a lock in
 * `models/<name>/.lock`. It only stores; the promotion protocol is src/promote/protocol.ts.
 *
 * Every write takes the lock by exclusive create (`open(…, 'wx')`), so exactly one writer is inside at a time, on
 * one machine or many sharing a folder; the protocol runs a whole publish or rollback inside it (`exclusive`), so
 * here its conditional writes never lose. Each commit is atomic: a version folder is renamed into place, the
 * champion file is replaced by rename. A crash between the two leaves a complete version that is not champion yet.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { ConfigurationError, LostRaceError } from '../../core/errors.js';
import { processAlive, writeFileAtomic } from '../../core/fs.js';
import type { ChampionEvent, Clock, MaterializedModel, ModelVersion } from '../../core/ports.js';
import {
  putIfAbsent,
  type ChampionEntry,
  type NewProductionVersion,
  type ProductionStore,
  type PutResult,
  type WriteHolder,
} from '../../promote/store.js';
import { LocalRegistry } from './registry.js';

interface ChampionState {
  champion: string | null;
  history: ChampionEvent[];
}

interface LockHolder extends WriteHolder {
  pid: number;
  host: string;
  since: string;
}

export interface LockOptions {
  /** How long to wait for another writer to finish before giving up (ms). */
  waitMs?: number;
  /** A lock older than this whose process is gone (same host) or any lock older than `staleMs` × 10 is broken. */
  staleMs?: number;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** The lock files held by the current asynchronous call chain, so a write inside `exclusive` does not wait on itself. */
const held = new AsyncLocalStorage<ReadonlySet<string>>();

export class LocalProductionStore implements ProductionStore {
  readonly description: string;
  private readonly versions: LocalRegistry;
  private readonly waitMs: number;
  private readonly staleMs: number;

  constructor(
    readonly dir: string,
    label: string,
    private readonly now: Clock = { now: () => Date.now() },
    lock: LockOptions = {},
  ) {
    this.description = label;
    this.versions = new LocalRegistry(dir, label, now);
    this.waitMs = lock.waitMs ?? 60_000;
    this.staleMs = lock.staleMs ?? 60_000;
  }

  private folder(name: string): string {
    return path.join(this.dir, 'models', name);
  }

  /** The registry folder must be a folder we can write; anything else is "cannot be reached" (exit 2). */
  private reach(name: string, write: boolean): string {
    const dir = this.folder(name);
    try {
      if (write) mkdirSync(dir, { recursive: true });
      else if (existsSync(this.dir) && !statSync(this.dir).isDirectory())
        throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
      return dir;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? String(err);
      throw new ConfigurationError(
        `${this.description} cannot be reached at ${this.dir} (${code}): make it a writable folder, or point registries.production in tfaml.yml elsewhere`,
      );
    }
  }

  private readState(name: string): ChampionState {
    const file = path.join(this.folder(name), '.champion.json');
    if (!existsSync(file)) return { champion: null, history: [] };
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as ChampionState;
    } catch (err) {
      throw new ConfigurationError(
        `${this.description}: ${file} is not readable JSON (${(err as Error).message}); restore it from the history of a backup, or remove it to start with no champion`,
      );
    }
  }

  private writeState(name: string, state: ChampionState): void {
    writeFileAtomic(path.join(this.folder(name), '.champion.json'), JSON.stringify(state, null, 2) + '\n');
  }

  list(name: string): Promise<ModelVersion[]> {
    return this.versions.list(name);
  }

  get(name: string, version: string): Promise<ModelVersion | undefined> {
    return this.versions.get(name, version);
  }

  materialize(v: ModelVersion): Promise<MaterializedModel> {
    return this.versions.materialize(v);
  }

  put(v: NewProductionVersion): Promise<PutResult> {
    return putIfAbsent(this.versions, v);
  }

  async log(name: string): Promise<ChampionEntry[]> {
    this.reach(name, false);
    return this.readState(name).history.map((event, i) => ({ seq: i + 1, event }));
  }

  logLocation(name: string): string {
    return path.join(this.folder(name), '.champion.json');
  }

  async append(name: string, entry: ChampionEntry): Promise<boolean> {
    const e = entry.event;
    const holder = { by: e.by, run: e.run, what: `recording ${e.action} ${e.version}` };
    return this.exclusive(name, holder, async () => {
      const state = this.readState(name);
      if (entry.seq <= state.history.length) return isDeepStrictEqual(state.history[entry.seq - 1], e);
      if (entry.seq !== state.history.length + 1) return false;
      state.history.push(e);
      state.champion = e.version;
      this.writeState(name, state);
      return true;
    });
  }

  /**
   * Run `fn` holding the model's lock; wait for another holder up to waitMs, break a stale lock. Inside it (the same
   * asynchronous call chain), a nested write runs straight away.
   */
  async exclusive<T>(name: string, holder: WriteHolder, fn: () => Promise<T>): Promise<T> {
    const dir = this.reach(name, true);
    const lock = path.join(dir, '.lock');
    const mine = held.getStore();
    if (mine?.has(lock)) return fn();
    return this.withLock(lock, holder, () => held.run(new Set([...(mine ?? []), lock]), fn));
  }

  private async withLock<T>(lock: string, writer: WriteHolder, fn: () => Promise<T>): Promise<T> {
    const me: LockHolder = {
      pid: process.pid,
      host: os.hostname(),
      by: writer.by,
      run: writer.run,
      what: writer.what,
      since: new Date(this.now.now()).toISOString(),
    };
    const deadline = Date.now() + this.waitMs;
    let fd: number | undefined;
    for (let delay = 5; fd === undefined; delay = Math.min(delay * 2, 250)) {
      try {
        fd = openSync(lock, 'wx', 0o644);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw this.unreachable(err);
        const holder = this.readHolder(lock);
        if (holder && this.stale(lock, holder)) {
          // Re-read right before removing so a lock just re-taken by someone else is left alone.
          const again = this.readHolder(lock);
          if (again && again.pid === holder.pid && again.since === holder.since) unlinkSync(lock);
          continue;
        }
        if (Date.now() > deadline) {
          const who = holder
            ? `${holder.by} (${holder.what}, pid ${holder.pid} on ${holder.host}, since ${holder.since})`
            : 'another process';
          throw new LostRaceError(
            `${this.description} is locked by ${who}; waited ${Math.round(this.waitMs / 1000)} s. If that process is gone, remove ${lock}`,
          );
        }
        await sleep(delay);
      }
    }
    try {
      writeSync(fd, JSON.stringify(me) + '\n');
      closeSync(fd);
      return await fn();
    } finally {
      try {
        unlinkSync(lock);
      } catch {
        // Already broken as stale by someone else: nothing left to release.
      }
    }
  }

  private unreachable(err: unknown): Error {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'ENOTDIR' || code === 'ENOENT') {
      return new ConfigurationError(
        `${this.description} cannot be reached at ${this.dir} (${code}): make it a writable folder, or point registries.production in tfaml.yml elsewhere`,
      );
    }
    return err as Error;
  }

  private readHolder(lock: string): LockHolder | undefined {
    try {
      return JSON.parse(readFileSync(lock, 'utf8')) as LockHolder;
    } catch {
      return undefined; // just created and not written yet, or just released
    }
  }

  private stale(lock: string, holder: LockHolder): boolean {
    let age: number;
    try {
      age = Date.now() - statSync(lock).mtimeMs;
    } catch {
      return false;
    }
    if (holder.host === os.hostname() && !processAlive(holder.pid)) return true;
    return age > this.staleMs * 10;
  }
}

/** The embedded production store of a project (the same folder as localRegistries(root).production). */
export function localProductionStore(root: string, clock?: Clock, lock?: LockOptions): LocalProductionStore {
  return new LocalProductionStore(
    path.join(root, '.tfaml', 'production'),
    'the local production registry (.tfaml/production)',
    clock,
    lock,
  );
}
