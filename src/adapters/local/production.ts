/**
 * The embedded production registry: a LocalRegistry (immutable versions, staged then renamed into place) plus a
 * champion pointer and its history in `models/<name>/.champion.json`, and a lock in `models/<name>/.lock`.
 *
 * Every write takes the lock by exclusive create (`open(…, 'wx')`), so exactly one writer is inside at a time, on
 * one machine or many sharing a folder. Inside, a publish first checks that the champion is still the one its gates
 * were evaluated against: if another promotion moved it meanwhile, this one loses (LostRaceError naming the winner)
 * and writes nothing. A publish is two commits, each atomic: the version folder is renamed into place, then the
 * champion file is replaced by rename. A crash between the two leaves a complete version that is not champion yet;
 * promoting the same candidate again finds it by content hash and makes it champion without a second copy.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigurationError } from '../../core/errors.js';
import { LostRaceError } from '../../core/errors.js';
import { writeFileAtomic } from '../../core/fs.js';
import { hashFolder } from '../../lock/hash.js';
import type {
  Actor,
  ChampionEvent,
  Clock,
  ModelVersion,
  ProductionModelRegistry,
  PublishRequest,
  PublishResult,
} from '../../core/ports.js';
import { withModelFilesOnly } from '../../promote/model-files.js';
import { LocalRegistry } from './registry.js';

interface ChampionState {
  champion: string | null;
  history: ChampionEvent[];
}

interface LockHolder {
  pid: number;
  host: string;
  by: string;
  run?: string;
  what: string;
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

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class LocalProductionRegistry extends LocalRegistry implements ProductionModelRegistry {
  private readonly waitMs: number;
  private readonly staleMs: number;

  constructor(
    dir: string,
    label: string,
    private readonly now: Clock = { now: () => Date.now() },
    lock: LockOptions = {},
  ) {
    super(dir, label, now);
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

  async champion(name: string): Promise<ModelVersion | undefined> {
    this.reach(name, false);
    const { champion } = this.readState(name);
    return champion === null ? undefined : this.get(name, champion);
  }

  async history(name: string): Promise<ChampionEvent[]> {
    this.reach(name, false);
    return this.readState(name).history;
  }

  /** Run `fn` holding the model's lock; wait for another holder up to waitMs, break a stale lock. */
  private async withLock<T>(name: string, actor: Actor, what: string, fn: () => Promise<T>): Promise<T> {
    const dir = this.reach(name, true);
    const lock = path.join(dir, '.lock');
    const me: LockHolder = {
      pid: process.pid,
      host: os.hostname(),
      by: actor.by,
      run: actor.run,
      what,
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
    if (holder.host === os.hostname() && !alive(holder.pid)) return true;
    return age > this.staleMs * 10;
  }

  private event(e: Omit<ChampionEvent, 'at' | 'by' | 'reason' | 'run'>, actor: Actor): ChampionEvent {
    return {
      ...e,
      by: actor.by,
      reason: actor.reason,
      at: new Date(this.now.now()).toISOString(),
      ...(actor.run ? { run: actor.run } : {}),
    };
  }

  async publish(req: PublishRequest): Promise<PublishResult> {
    // A candidate straight from a local registry carries that registry's record; the production copy gets its own,
    // and the content hash (the identity that makes publishing idempotent) is over the model files alone.
    return withModelFilesOnly(req.model.files, (files) =>
      this.publishFiles({ ...req, model: { ...req.model, files } }),
    );
  }

  private async publishFiles(req: PublishRequest): Promise<PublishResult> {
    const name = req.model.name;
    // Hash outside the lock: it is the slow part and needs nothing shared.
    const hash = (await hashFolder(req.model.files, req.model.files)).hash;
    return this.withLock(name, req.actor, `promoting ${req.candidate}`, async () => {
      const state = this.readState(name);
      const versions = await this.list(name);
      const current = state.champion === null ? undefined : versions.find((v) => v.version === state.champion);
      if (current && current.contentHash === hash)
        return { outcome: 'reused', version: current, championChanged: false };
      if ((state.champion ?? undefined) !== req.expectedChampion) {
        const winner = [...state.history].reverse().find((h) => h.version === state.champion);
        const who = winner
          ? `${winner.by} ${winner.action === 'rollback' ? 'rolled back to' : 'promoted'} production ${winner.version}${winner.candidate ? ` (from ${winner.candidate})` : ''} at ${winner.at}`
          : `production ${state.champion} became the champion`;
        throw new LostRaceError(
          `lost the race to ${who}: the champion changed from ${req.expectedChampion ?? 'none'} to ${state.champion ?? 'none'} while ${req.candidate} was being evaluated; nothing was written. Run promote again to evaluate against the new champion`,
          winner,
        );
      }
      const existing = versions.find((v) => v.contentHash === hash);
      const version = existing ?? (await this.create({ ...req.model, version: req.version(versions, current) }));
      state.history.push(
        this.event(
          {
            action: 'promote',
            version: version.version,
            ...(state.champion ? { previous: state.champion } : {}),
            candidate: req.candidate,
          },
          req.actor,
        ),
      );
      state.champion = version.version;
      this.writeState(name, state);
      return { outcome: existing ? 'reused' : 'created', version, championChanged: true };
    });
  }

  async rollback(name: string, version: string, actor: Actor): Promise<ChampionEvent> {
    return this.withLock(name, actor, `rolling back to ${version}`, async () => {
      const versions = await this.list(name);
      if (!versions.some((v) => v.version === version)) {
        throw new ConfigurationError(
          `${this.description} has no ${name} version ${version}; ${versions.length ? `it has ${versions.map((v) => v.version).join(', ')}` : 'it has no versions yet'}`,
        );
      }
      const state = this.readState(name);
      const e = this.event(
        { action: 'rollback', version, ...(state.champion ? { previous: state.champion } : {}) },
        actor,
      );
      state.history.push(e);
      state.champion = version;
      this.writeState(name, state);
      return e;
    });
  }
}

/** The embedded production registry of a project (the same folder as localRegistries(root).production). */
export function localProductionRegistry(root: string, clock?: Clock, lock?: LockOptions): LocalProductionRegistry {
  return new LocalProductionRegistry(
    path.join(root, '.tfaml', 'production'),
    'the local production registry (.tfaml/production)',
    clock,
    lock,
  );
}
