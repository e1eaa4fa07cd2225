/**
 * The production-store port (src/promote/store.ts) in memory, for table tests of the protocol
 * (src/promote/protocol.ts) and as the reference the contract suite (test/promote/store-contract.ts) holds the real
 * stores to. `before` lets a test act as another writer right before a write lands, to stage a race.
 */
import { isDeepStrictEqual } from 'node:util';
import type { ModelVersion } from '../../src/core/ports.js';
import { hashFolder } from '../../src/lock/hash.js';
import type { ChampionEntry, NewProductionVersion, ProductionStore, PutResult } from '../../src/promote/store.js';

export class MemoryProductionStore implements ProductionStore {
  readonly description = 'the in-memory production store';
  /** Versions by model name, in the order they were created (not sorted: sorting is the protocol's). */
  readonly versions = new Map<string, Map<string, ModelVersion>>();
  readonly logs = new Map<string, ChampionEntry[]>();
  /** Called right before each put or append takes effect; another writer's moves go here. */
  before?: (op: 'put' | 'append', name: string) => Promise<void> | void;

  constructor(private readonly clock = { now: () => Date.now() }) {}

  async list(name: string): Promise<ModelVersion[]> {
    return [...(this.versions.get(name)?.values() ?? [])];
  }

  async get(name: string, version: string): Promise<ModelVersion | undefined> {
    return this.versions.get(name)?.get(version);
  }

  async put(v: NewProductionVersion): Promise<PutResult> {
    const contentHash = (await hashFolder(v.files, v.files)).hash;
    await this.before?.('put', v.name);
    const versions = this.versions.get(v.name) ?? new Map<string, ModelVersion>();
    this.versions.set(v.name, versions);
    const theirs = versions.get(v.version);
    if (theirs)
      return theirs.contentHash === contentHash
        ? { status: 'existed', version: theirs }
        : { status: 'conflict', theirs };
    const version: ModelVersion = {
      name: v.name,
      version: v.version,
      contentHash,
      metrics: v.metrics,
      tags: v.tags,
      createdAt: new Date(this.clock.now()).toISOString(),
      location: v.files,
    };
    versions.set(v.version, version);
    return { status: 'created', version };
  }

  async log(name: string): Promise<ChampionEntry[]> {
    return [...(this.logs.get(name) ?? [])];
  }

  async append(name: string, entry: ChampionEntry): Promise<boolean> {
    await this.before?.('append', name);
    const log = this.logs.get(name) ?? [];
    this.logs.set(name, log);
    if (entry.seq <= log.length) return isDeepStrictEqual(log[entry.seq - 1], entry);
    if (entry.seq !== log.length + 1) return false;
    log.push(entry);
    return true;
  }

  logLocation(name: string): string {
    return `the in-memory champion log of ${name}`;
  }
}
