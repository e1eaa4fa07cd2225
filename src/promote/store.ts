/**
 * The production-store port: what the promotion protocol (./protocol.ts) needs from wherever production lives, and
 * nothing more. A store only stores: immutable versions, and an append-only champion log whose appends are
 * conditional on the log's position. Which version becomes champion, who lost a race and why, is the protocol's.
 * Implemented by src/adapters/local/production.ts (files, an exclusive-create lock) and
 * src/adapters/azure/production.ts (Azure ML model versions, created only if absent).
 */
import { RegistryConflictError } from '../core/errors.js';
import type { ChampionEvent, MaterializedModel, ModelRegistry, ModelVersion, NewModelVersion } from '../core/ports.js';
import { hashFolder } from '../lock/hash.js';

/** One entry of the champion log: the `seq`-th change (1, 2, 3…) and what it was. */
export interface ChampionEntry {
  seq: number;
  event: ChampionEvent;
}

/** A version to create under an explicit version (production versions are never auto-numbered). */
export type NewProductionVersion = NewModelVersion & { version: string };

/**
 * What a conditional create did: `created` a new version, found the `existed` same content under it already (a
 * retry, or a run of the same candidate), or found a `conflict`: other content under that version, `theirs`.
 */
export type PutResult =
  { status: 'created' | 'existed'; version: ModelVersion } | { status: 'conflict'; theirs: ModelVersion | undefined };

/** Who holds a store's write section and what for, so a writer kept waiting can say whom it waits for. */
export interface WriteHolder {
  by: string;
  run?: string;
  what: string;
}

export interface ProductionStore {
  /** For messages: "the local production registry (.tfaml/production)", "registry mlr-prod (…)". */
  readonly description: string;
  list(name: string): Promise<ModelVersion[]>;
  get(name: string, version: string): Promise<ModelVersion | undefined>;
  /** Creates `v.version` only if absent; never changes a version that exists. */
  put(v: NewProductionVersion): Promise<PutResult>;
  /** The champion log of `name`, oldest first (entries that are not readable records are left out). */
  log(name: string): Promise<ChampionEntry[]>;
  /**
   * The conditional append: writes `entry` as entry `entry.seq`, which must be the last entry's seq + 1 when the
   * caller read the log. True when the log now holds it there (written now, or the identical entry already there
   * after a retry); false when another entry holds that position (another writer got there first).
   */
  append(name: string, entry: ChampionEntry): Promise<boolean>;
  /** Where the log is, for a message naming it: a file, or the companion model holding it. */
  logLocation(name: string): string;
  /**
   * Runs `fn` as the only writer of `name`, for a store that can serialise writers (a lock). Optional: without it
   * writers run concurrently and the conditional put and append decide.
   */
  exclusive?<T>(name: string, holder: WriteHolder, fn: () => Promise<T>): Promise<T>;
  /** A local folder with a version's files, when `location` is not one (see ModelRegistry.materialize). */
  materialize?(v: ModelVersion): Promise<MaterializedModel>;
}

/**
 * ProductionStore.put over a ModelRegistry whose `create` is itself create-if-absent (the local registry's rename into
 * place, Azure's conditional PUT): the same content already there is `existed`, other content is `conflict`.
 */
export async function putIfAbsent(registry: ModelRegistry, v: NewProductionVersion): Promise<PutResult> {
  const before = await registry.get(v.name, v.version);
  if (before) {
    const hash = (await hashFolder(v.files, v.files)).hash;
    return before.contentHash === hash
      ? { status: 'existed', version: before }
      : { status: 'conflict', theirs: before };
  }
  try {
    return { status: 'created', version: await registry.create(v) };
  } catch (err) {
    if (!(err instanceof RegistryConflictError)) throw err;
    return { status: 'conflict', theirs: await registry.get(v.name, v.version) };
  }
}
