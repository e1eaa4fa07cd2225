/**
 * The promotion protocol, written once over a ProductionStore (./store.ts): a production registry whose champion is
 * the version named by the last entry of an append-only log, and whose history is that log.
 *
 * - Publishing content already in production reuses that version (found by content hash): no second copy, and no
 *   new entry when it is already the champion.
 * - A publish carries the champion its gates were evaluated against; if the log says another one now, it loses
 *   (LostRaceError naming the winner) before writing anything.
 * - A publish is staged then committed: the production version is created first (only if absent), then log entry
 *   N+1 makes it champion. A crash between leaves a complete version that is not champion; promoting the same
 *   candidate again finds it by content hash and commits it without a second copy.
 * - Two writers racing are decided by the store's conditional writes: the version create (both computed the same
 *   next version from the same list: one gets it, the other finds other content there and loses) and the append of
 *   entry N+1 (one gets the position, the other reads the winner's entry to say whom it lost to). A store that can
 *   lock (the local one) runs each write as the only writer, so there its conditional writes never lose.
 * - A rollback is an order, not a verdict: it is applied after whatever change landed first. A rollback sticks:
 *   content rolled back away from is not made champion again by the next passing run (see `rolledBack`), only by a
 *   deliberate rollback to it.
 */
import semver from 'semver';
import { ConfigurationError, LostRaceError, RegistryConflictError } from '../core/errors.js';
import type {
  Actor,
  ChampionEvent,
  Clock,
  MaterializedModel,
  ModelVersion,
  NewModelVersion,
  ProductionModelRegistry,
  PublishRequest,
  PublishResult,
} from '../core/ports.js';
import { OWNER_TAG, PROMOTE_TAGS } from '../core/tags.js';
import { hashFolder } from '../lock/hash.js';
import { withModelFilesOnly } from './model-files.js';
import type { ChampionEntry, ProductionStore } from './store.js';

export interface ProtocolOptions {
  clock?: Clock;
  /** How long a loser waits for the winner's entry to become visible, to name it (default 30 s). */
  winnerWaitMs?: number;
  /** Between reads while waiting (default 1 s). */
  pollMs?: number;
  /** How many times a rollback re-reads and retries when another change landed first (default 10). */
  attempts?: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Semver order (production versions), anything else after them in numeric-aware order. */
export function compareVersions(a: string, b: string): number {
  const va = semver.valid(a);
  const vb = semver.valid(b);
  if (va && vb) return semver.compare(va, vb);
  if (va || vb) return va ? -1 : 1;
  return a.localeCompare(b, 'en', { numeric: true });
}

/** "<description> has no <name> version <v>; it has …": the one wording for a version that is not there. */
export function noSuchVersion(description: string, name: string, version: string, have: readonly string[]): string {
  return `${description} has no ${name} version ${version}; ${have.length ? `it has ${have.join(', ')}` : 'it has no versions yet'}`;
}

/** How a winner is named: "bob promoted production 1.0.1 (from experiment:m:7) at <time>". */
function describeWinner(w: ChampionEvent): string {
  return `${w.by} ${w.action === 'rollback' ? 'rolled back to' : 'promoted'} production ${w.version}${w.candidate ? ` (from ${w.candidate})` : ''} at ${w.at}`;
}

/**
 * The production version holding `contentHash`, when a rollback moved the champion away from it after it was last
 * made champion: that content is not promoted again by a passing run, only restored by a deliberate rollback.
 */
export async function rolledBack(
  production: Pick<ProductionModelRegistry, 'list' | 'history'>,
  name: string,
  contentHash: string,
): Promise<{ version: string; rollback: ChampionEvent } | undefined> {
  const same = (await production.list(name)).find((v) => v.contentHash === contentHash);
  if (!same) return undefined;
  const history = await production.history(name);
  const crowned = history.map((e) => e.version).lastIndexOf(same.version);
  const away = history.findLastIndex((e) => e.action === 'rollback' && e.previous === same.version);
  return away > crowned ? { version: same.version, rollback: history[away]! } : undefined;
}

/**
 * The tags of a production version: the candidate's, with the owners the publish names as OWNER_TAG. An owner tag
 * the candidate carries is not kept: who answers for production is what tfaml.yml says on the promote branch.
 */
export function withOwners(tags: Record<string, string>, owners: readonly string[]): Record<string, string> {
  const rest = { ...tags };
  delete rest[OWNER_TAG];
  const value = owners
    .map((o) => o.trim())
    .filter(Boolean)
    .join(' ');
  return value ? { ...rest, [OWNER_TAG]: value } : rest;
}

export class Production implements ProductionModelRegistry {
  readonly description: string;
  readonly materialize?: (v: ModelVersion) => Promise<MaterializedModel>;
  private readonly clock: Clock;

  constructor(
    readonly store: ProductionStore,
    private readonly opts: ProtocolOptions = {},
  ) {
    this.description = store.description;
    this.clock = opts.clock ?? { now: () => Date.now() };
    if (store.materialize) this.materialize = (v) => store.materialize!(v);
  }

  async list(name: string): Promise<ModelVersion[]> {
    return (await this.store.list(name)).sort((a, b) => compareVersions(a.version, b.version));
  }

  get(name: string, version: string): Promise<ModelVersion | undefined> {
    return this.store.get(name, version);
  }

  /** A production version under an explicit version: idempotent for identical content, a conflict for other. */
  async create(v: NewModelVersion): Promise<ModelVersion> {
    if (v.version === undefined)
      throw new Error(`${this.description}: a production version is never auto-numbered; give its semver version`);
    const r = await this.store.put({ ...v, version: v.version });
    if (r.status !== 'conflict') return r.version;
    throw new RegistryConflictError(
      `${this.description} already has ${v.name} version ${v.version} with different content (${r.theirs?.contentHash ?? 'unreadable'}); versions are immutable: register under a new version`,
    );
  }

  async champion(name: string): Promise<ModelVersion | undefined> {
    const last = (await this.store.log(name)).at(-1);
    return last ? this.store.get(name, last.event.version) : undefined;
  }

  async history(name: string): Promise<ChampionEvent[]> {
    return (await this.store.log(name)).map((e) => e.event);
  }

  private event(e: Omit<ChampionEvent, 'at' | 'by' | 'reason' | 'run'>, actor: Actor): ChampionEvent {
    return {
      ...e,
      by: actor.by,
      reason: actor.reason,
      at: new Date(this.clock.now()).toISOString(),
      ...(actor.run ? { run: actor.run } : {}),
    };
  }

  /** As the only writer when the store can serialise writers, else straight away. */
  private write<T>(name: string, actor: Actor, what: string, fn: () => Promise<T>): Promise<T> {
    return this.store.exclusive ? this.store.exclusive(name, { by: actor.by, run: actor.run, what }, fn) : fn();
  }

  /** Waits (bounded) until the log has an entry after `seq`: a racing winner's write may still be running. */
  private async entryAfter(name: string, seq: number): Promise<ChampionEntry | undefined> {
    const deadline = Date.now() + (this.opts.winnerWaitMs ?? 30_000);
    for (;;) {
      const last = (await this.store.log(name)).at(-1);
      if (last && last.seq > seq) return last;
      if (Date.now() >= deadline) return undefined;
      await sleep(this.opts.pollMs ?? 1000);
    }
  }

  private lost(req: PublishRequest, winner: ChampionEntry | undefined, fallback: string): LostRaceError {
    if (!winner)
      return new LostRaceError(
        `lost the race to ${fallback}; nothing was written. Run promote again to evaluate against the new champion`,
      );
    const w = winner.event;
    return new LostRaceError(
      `lost the race to ${describeWinner(w)}: the champion changed from ${req.expectedChampion ?? 'none'} to ${w.version} while ${req.candidate} was being evaluated; nothing was written. Run promote again to evaluate against the new champion`,
      w,
    );
  }

  async publish(req: PublishRequest): Promise<PublishResult> {
    // A candidate from a local registry carries that registry's record; the content hash (the identity that makes
    // publishing idempotent, and equal to the candidate's) is over the model files alone.
    return withModelFilesOnly(req.model.files, (files) =>
      this.publishFiles({ ...req, model: { ...req.model, files } }),
    );
  }

  private async publishFiles(req: PublishRequest): Promise<PublishResult> {
    const name = req.model.name;
    // Hash before writing: it is the slow part and needs nothing shared.
    const hash = (await hashFolder(req.model.files, req.model.files)).hash;
    return this.write(name, req.actor, `promoting ${req.candidate}`, async () => {
      const last = (await this.store.log(name)).at(-1);
      const seq = last?.seq ?? 0;
      const championVersion = last?.event.version;
      const versions = await this.list(name);
      const current = championVersion === undefined ? undefined : versions.find((v) => v.version === championVersion);
      if (current && current.contentHash === hash)
        return { outcome: 'reused', version: current, championChanged: false };
      if (championVersion !== req.expectedChampion)
        throw this.lost(req, last, `production ${championVersion ?? 'none'}`);

      // Stage: the production version (or the one a crashed or concurrent run of this candidate left).
      const existing = versions.find((v) => v.contentHash === hash);
      let version = existing;
      if (!version) {
        const wanted = req.version(versions, current);
        const put = await this.store.put({
          ...req.model,
          tags: withOwners(req.model.tags, req.owners),
          version: wanted,
        });
        if (put.status === 'conflict') {
          // Another promotion registered this version first: it is about to become (or is) the champion.
          const winner = await this.entryAfter(name, seq);
          if (winner && winner.event.version === wanted) throw this.lost(req, winner, '');
          const theirs = put.theirs ?? (await this.store.get(name, wanted));
          const by = theirs?.tags[PROMOTE_TAGS.promotedBy];
          const source = theirs?.tags[PROMOTE_TAGS.source];
          throw this.lost(
            req,
            winner,
            `${by ?? 'another promotion'}, which registered production ${wanted}${source ? ` (from ${source})` : ''} first`,
          );
        }
        version = put.version;
      }

      // Commit: log entry seq+1 makes it the champion, unless another change took that position first.
      const e = this.event(
        {
          action: 'promote',
          version: version.version,
          ...(championVersion ? { previous: championVersion } : {}),
          candidate: req.candidate,
        },
        req.actor,
      );
      if (await this.store.append(name, { seq: seq + 1, event: e }))
        return { outcome: existing ? 'reused' : 'created', version, championChanged: true };
      const winner = await this.entryAfter(name, seq);
      // The same candidate racing itself: the other run made this very version the champion.
      if (winner && winner.event.version === version.version)
        return { outcome: 'reused', version, championChanged: false };
      throw this.lost(
        req,
        winner,
        `another change of the champion (entry ${seq + 1} of ${this.store.logLocation(name)})`,
      );
    });
  }

  async rollback(name: string, version: string, actor: Actor): Promise<ChampionEvent> {
    return this.write(name, actor, `rolling back to ${version}`, async () => {
      const versions = await this.list(name);
      if (!versions.some((v) => v.version === version)) {
        throw new ConfigurationError(
          noSuchVersion(
            this.description,
            name,
            version,
            versions.map((v) => v.version),
          ),
        );
      }
      // Applied after whatever change landed first, rather than refused for it.
      const attempts = this.opts.attempts ?? 10;
      for (let i = 0; i < attempts; i++) {
        const last = (await this.store.log(name)).at(-1);
        const e = this.event({ action: 'rollback', version, ...(last ? { previous: last.event.version } : {}) }, actor);
        if (await this.store.append(name, { seq: (last?.seq ?? 0) + 1, event: e })) return e;
        await this.entryAfter(name, last?.seq ?? 0);
      }
      throw new LostRaceError(
        `${this.description}: the champion of ${name} kept changing; ${attempts} attempts to roll back to ${version} each lost to another change. Try again`,
      );
    });
  }
}
