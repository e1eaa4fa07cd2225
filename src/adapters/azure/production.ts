/**
 * The production store on Azure (src/promote/store.ts): an Azure ML registry (e.g. `mlr-prod`) or a production
 * workspace, built only from what Azure ML guarantees everywhere: model versions are immutable, and a PUT of an
 * existing version with other content is refused with 409. Model containers have no documented conditional update
 * (If-Match) in either API, so nothing here relies on one. It only stores; the promotion protocol (who becomes
 * champion, who lost a race and to whom) is src/promote/protocol.ts.
 *
 * - Each production version is a model version `<name>:<semver>` in the registry/workspace (through the existing
 *   ModelRegistry: files uploaded first, idempotent by content hash, immutable), carrying the evidence tags.
 * - The champion log is append-only: every change (a promotion or a rollback) is one model version of a companion
 *   model `<name>--tfaml-champion`, numbered 1, 2, 3…, whose tags hold the ChampionEvent (`tfaml.champion-event`,
 *   JSON) and whose file (`event.json`) is the same record, so its content hash — kept in the version's immutable
 *   properties — makes each entry tamper-evident. The history is the entries in order (unbounded, no tag-size limit).
 * - Writing entry N+1 is the conditional append. Two writers that both read N race to create N+1 with different
 *   content: Azure accepts one and answers the other 409. Re-sending the same entry (a retry after a 5xx) is
 *   idempotent: same content, same version.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { WorkspaceRef } from '../../config/types.js';
import { RegistryConflictError } from '../../core/errors.js';
import type { ChampionEvent, MaterializedModel, ModelRegistry, ModelVersion } from '../../core/ports.js';
import { CHAMPION_LOG_TAGS, EVENT_TAG } from '../../core/tags.js';
import {
  putIfAbsent,
  type ChampionEntry,
  type NewProductionVersion,
  type ProductionStore,
  type PutResult,
} from '../../promote/store.js';
import { openModelRegistry, type OpenOptions } from './index.js';
import type { RegistryOptions } from './registry.js';

/** The companion model whose versions are the champion log of `name`. */
export const championLogName = (name: string): string => `${name}--tfaml-champion`;

export class AzureProductionStore implements ProductionStore {
  readonly description: string;
  readonly materialize?: (v: ModelVersion) => Promise<MaterializedModel>;

  constructor(readonly base: ModelRegistry) {
    this.description = base.description;
    if (base.materialize) this.materialize = (v) => base.materialize!(v);
  }

  list(name: string): Promise<ModelVersion[]> {
    return this.base.list(name);
  }

  get(name: string, version: string): Promise<ModelVersion | undefined> {
    return this.base.get(name, version);
  }

  put(v: NewProductionVersion): Promise<PutResult> {
    return putIfAbsent(this.base, v);
  }

  /** The champion log, oldest first. Entries whose event cannot be read (edited by hand) are skipped. */
  async log(name: string): Promise<ChampionEntry[]> {
    const out: ChampionEntry[] = [];
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

  logLocation(name: string): string {
    return championLogName(name);
  }

  /** Creates log entry `seq`: ours when created now or already there identical (a retry), not ours on 409. */
  async append(name: string, { seq, event }: ChampionEntry): Promise<boolean> {
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
}

/** The production store tfaml.yml names on Azure: an Azure ML registry (reached through a workspace) or a workspace. */
export async function openProductionStore(
  target: { workspace: WorkspaceRef } | { registry: string; via: WorkspaceRef; resourceGroup?: string },
  opts: OpenOptions & RegistryOptions = {},
): Promise<AzureProductionStore> {
  return new AzureProductionStore(await openModelRegistry(target, opts));
}
