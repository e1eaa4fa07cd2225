/**
 * The production registry on Azure: an Azure ML registry (e.g. `mlr-prod`) or a production workspace, with a
 * champion and its history, built only from what Azure ML guarantees everywhere: model versions are immutable, and
 * a PUT of an existing version with other content is refused with 409. Model containers have no documented
 * conditional update (If-Match) in either API, so nothing here relies on one.
 *
 * - Each production version is a model version `<name>:<semver>` in the registry/workspace (through the existing
 *   ModelRegistry: files uploaded first, idempotent by content hash, immutable), carrying the evidence tags.
 * - The champion is an append-only log: every change (a promotion or a rollback) is one model version of a
 *   companion model `<name>--tfaml-champion`, numbered 1, 2, 3…, whose tags hold the ChampionEvent
 *   (`tfaml.champion-event`, JSON) and whose file (`event.json`) is the same record, so its content hash — kept in
 *   the version's immutable properties — makes each entry tamper-evident. The champion is the version named by the
 *   highest entry; the history is the entries in order (unbounded, no tag-size limit).
 * - Writing entry N+1 is the conditional write. Two writers that both read N race to create N+1 with different
 *   content: Azure accepts one and answers the other 409, so exactly one champion change wins and the loser reads the
 *   winner's entry to say whom it lost to (LostRaceError). Re-sending the same entry (a retry after a 5xx) is
 *   idempotent: same content, same version.
 * - A publish is staged then committed: the production version is created first (complete or not at all, since the
 *   version is created only after its upload), then the log entry makes it champion. A crash between leaves a
 *   complete version that is not champion; promoting the same candidate again finds it by content hash and commits
 *   it without a second copy. Two promotions racing compute the same next version from the same list, so the
 *   version create itself is the first conflict: one gets it, the other gets 409 and loses before writing anything.
 *   (Two candidates whose semver bumps differ can both register their version; only one becomes champion, and the
 *   loser's version stays an uncommitted, never-champion version that a re-run of it reuses.)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { WorkspaceRef } from '../../config/types.js';
import { ConfigurationError } from '../../core/errors.js';
import { LostRaceError, RegistryConflictError } from '../../core/errors.js';
import { CHAMPION_LOG_TAGS, EVENT_TAG, PROMOTE_TAGS } from '../../core/tags.js';
import { hashFolder } from '../../lock/hash.js';
import { withModelFilesOnly } from '../../promote/model-files.js';
import {
  type Actor,
  type ChampionEvent,
  type Clock,
  type ModelRegistry,
  type ModelVersion,
  type NewModelVersion,
  type ProductionModelRegistry,
  type PublishRequest,
  type PublishResult,
} from '../../core/ports.js';
import { openModelRegistry, type OpenOptions } from './index.js';
import type { RegistryOptions } from './registry.js';

/** The companion model whose versions are the champion log of `name`. */
export const championLogName = (name: string): string => `${name}--tfaml-champion`;

export interface ProductionOptions {
  clock?: Clock;
  /** How long a loser waits for the winner's entry to become visible, to name it (default 30 s). */
  winnerWaitMs?: number;
  /** Between reads while waiting (default 1 s). */
  pollMs?: number;
  /** How many times a rollback re-reads and retries when another change landed first (default 10). */
  attempts?: number;
}

interface Entry {
  seq: number;
  event: ChampionEvent;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class AzureProductionRegistry implements ProductionModelRegistry {
  readonly description: string;
  private readonly clock: Clock;

  constructor(
    readonly base: ModelRegistry,
    private readonly opts: ProductionOptions = {},
  ) {
    this.description = base.description;
    this.clock = opts.clock ?? { now: () => Date.now() };
  }

  list(name: string): Promise<ModelVersion[]> {
    return this.base.list(name);
  }

  get(name: string, version: string): Promise<ModelVersion | undefined> {
    return this.base.get(name, version);
  }

  create(v: NewModelVersion): Promise<ModelVersion> {
    return this.base.create(v);
  }

  /** The champion log, oldest first. Entries whose event cannot be read (edited by hand) are skipped. */
  private async entries(name: string): Promise<Entry[]> {
    const out: Entry[] = [];
    for (const v of await this.base.list(championLogName(name))) {
      if (!/^\d+$/.test(v.version)) continue;
      try {
        const event = JSON.parse(v.tags[EVENT_TAG] ?? '') as ChampionEvent;
        if (event && typeof event.version === 'string') out.push({ seq: Number(v.version), event });
      } catch {
        /* not a tfaml entry */
      }
    }
    return out.sort((a, b) => a.seq - b.seq);
  }

  private async latest(name: string): Promise<Entry | undefined> {
    return (await this.entries(name)).at(-1);
  }

  async champion(name: string): Promise<ModelVersion | undefined> {
    const last = await this.latest(name);
    return last ? this.base.get(name, last.event.version) : undefined;
  }

  async history(name: string): Promise<ChampionEvent[]> {
    return (await this.entries(name)).map((e) => e.event);
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

  /**
   * The conditional write: creates log entry `seq`. True when it is ours (created now, or the same entry already
   * there after a retry); false when another writer's entry holds that number (Azure answered 409).
   */
  private async append(name: string, seq: number, event: ChampionEvent): Promise<boolean> {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tfaml-champion-'));
    try {
      writeFileSync(path.join(dir, 'event.json'), JSON.stringify({ model: name, seq, ...event }, null, 2) + '\n');
      await this.base.create({
        name: championLogName(name),
        version: String(seq),
        files: dir,
        metrics: {},
        tags: {
          [EVENT_TAG]: JSON.stringify(event),
          [CHAMPION_LOG_TAGS.version]: event.version,
          [CHAMPION_LOG_TAGS.action]: event.action,
        },
      });
      return true;
    } catch (err) {
      if (err instanceof RegistryConflictError) return false;
      throw err;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /** Waits (bounded) until the log has an entry after `seq`: a racing winner's PUT may still be running. */
  private async entryAfter(name: string, seq: number): Promise<Entry | undefined> {
    const deadline = Date.now() + (this.opts.winnerWaitMs ?? 30_000);
    for (;;) {
      const last = await this.latest(name);
      if (last && last.seq > seq) return last;
      if (Date.now() >= deadline) return undefined;
      await sleep(this.opts.pollMs ?? 1000);
    }
  }

  private lost(req: PublishRequest, winner: Entry | undefined, fallback: string): LostRaceError {
    if (!winner)
      return new LostRaceError(
        `lost the race to ${fallback}; nothing was written. Run promote again to evaluate against the new champion`,
      );
    const w = winner.event;
    const who = `${w.by} ${w.action === 'rollback' ? 'rolled back to' : 'promoted'} production ${w.version}${w.candidate ? ` (from ${w.candidate})` : ''} at ${w.at}`;
    return new LostRaceError(
      `lost the race to ${who}: the champion changed from ${req.expectedChampion ?? 'none'} to ${w.version} while ${req.candidate} was being evaluated; nothing was written. Run promote again to evaluate against the new champion`,
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
    const hash = (await hashFolder(req.model.files, req.model.files)).hash;
    const last = await this.latest(name);
    const seq = last?.seq ?? 0;
    const championVersion = last?.event.version;
    const versions = await this.base.list(name);
    const current = championVersion === undefined ? undefined : versions.find((v) => v.version === championVersion);
    if (current && current.contentHash === hash) return { outcome: 'reused', version: current, championChanged: false };
    if (championVersion !== req.expectedChampion) throw this.lost(req, last, `production ${championVersion ?? 'none'}`);

    // Stage: the production version (or the one a crashed or concurrent run of this candidate left).
    const existing = versions.find((v) => v.contentHash === hash);
    let version = existing;
    if (!version) {
      const wanted = req.version(versions, current);
      try {
        version = await this.base.create({ ...req.model, version: wanted });
      } catch (err) {
        if (!(err instanceof RegistryConflictError)) throw err;
        // Another promotion registered this version first: it is about to become (or is) the champion.
        const winner = await this.entryAfter(name, seq);
        if (winner && winner.event.version === wanted) throw this.lost(req, winner, '');
        const theirs = await this.base.get(name, wanted);
        const by = theirs?.tags[PROMOTE_TAGS.promotedBy];
        throw this.lost(
          req,
          winner,
          `${by ?? 'another promotion'}, which registered production ${wanted}${theirs?.tags[PROMOTE_TAGS.source] ? ` (from ${theirs.tags[PROMOTE_TAGS.source]})` : ''} first`,
        );
      }
    }

    // Commit: log entry seq+1 makes it the champion, unless another change took that number first.
    const e = this.event(
      {
        action: 'promote',
        version: version.version,
        ...(championVersion ? { previous: championVersion } : {}),
        candidate: req.candidate,
      },
      req.actor,
    );
    if (await this.append(name, seq + 1, e))
      return { outcome: existing ? 'reused' : 'created', version, championChanged: true };
    const winner = await this.entryAfter(name, seq);
    // The same candidate racing itself: the other run made this very version the champion.
    if (winner && winner.event.version === version.version)
      return { outcome: 'reused', version, championChanged: false };
    throw this.lost(req, winner, `another change of the champion (entry ${seq + 1} of ${championLogName(name)})`);
  }

  async rollback(name: string, version: string, actor: Actor): Promise<ChampionEvent> {
    const versions = await this.base.list(name);
    if (!versions.some((v) => v.version === version)) {
      throw new ConfigurationError(
        `${this.description} has no ${name} version ${version}; ${versions.length ? `it has ${versions.map((v) => v.version).join(', ')}` : 'it has no versions yet'}`,
      );
    }
    // A rollback is an order, not a verdict on a champion: when another change lands first, apply it after that one.
    const attempts = this.opts.attempts ?? 10;
    for (let i = 0; i < attempts; i++) {
      const last = await this.latest(name);
      const e = this.event({ action: 'rollback', version, ...(last ? { previous: last.event.version } : {}) }, actor);
      if (await this.append(name, (last?.seq ?? 0) + 1, e)) return e;
      await this.entryAfter(name, last?.seq ?? 0);
    }
    throw new LostRaceError(
      `${this.description}: the champion of ${name} kept changing; ${attempts} attempts to roll back to ${version} each lost to another change. Try again`,
    );
  }
}

/** The production registry tfaml.yml names on Azure: an Azure ML registry (reached through a workspace) or a workspace. */
export async function openProductionRegistry(
  target: { workspace: WorkspaceRef } | { registry: string; via: WorkspaceRef; resourceGroup?: string },
  opts: OpenOptions & RegistryOptions & ProductionOptions = {},
): Promise<AzureProductionRegistry> {
  return new AzureProductionRegistry(await openModelRegistry(target, opts), opts);
}
