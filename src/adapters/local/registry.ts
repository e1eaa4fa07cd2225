/**
 * The embedded model registry: versioned folders under `<project>/.tfaml/<experiment|production>/models/<name>/`.
 * A first-class registry, not a test double: versions are immutable, a version appears whole or not at all
 * (files are staged in a hidden folder, then the folder is renamed into place, which fails if the version exists),
 * and two writers racing for the same version end with exactly one winner.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ConfigurationError } from '../../core/errors.js';
import { hashFolder } from '../../lock/hash.js';
import { writeFileAtomic } from '../../core/fs.js';
import type { Clock, MaterializedModel, ModelRegistry, ModelVersion, NewModelVersion } from '../../core/ports.js';
import { RegistryConflictError } from '../../core/errors.js';
import { VERSION_FILE } from '../../promote/model-files.js';

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9\-_.]{0,254}$/;

function versionSort(a: string, b: string): number {
  const na = a.split('.').map(Number);
  const nb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(na.length, nb.length); i++) {
    const d = (na[i] ?? 0) - (nb[i] ?? 0);
    if (d !== 0 && !Number.isNaN(d)) return d;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

export class LocalRegistry implements ModelRegistry {
  readonly description: string;

  /** `dir` is e.g. `<root>/.tfaml/experiment`; `label` names it in messages. */
  constructor(
    readonly dir: string,
    label: string,
    private readonly clock: Clock = { now: () => Date.now() },
  ) {
    this.description = label;
  }

  private modelDir(name: string): string {
    if (!NAME.test(name))
      throw new ConfigurationError(
        `model name ${JSON.stringify(name)} is not valid: use letters, digits, '-', '_' and '.', starting with a letter or digit`,
      );
    return path.join(this.dir, 'models', name);
  }

  async list(name: string): Promise<ModelVersion[]> {
    const dir = this.modelDir(name);
    if (!existsSync(dir)) return [];
    const out: ModelVersion[] = [];
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (!e.isDirectory() || e.name.startsWith('.')) continue;
      const v = this.read(path.join(dir, e.name));
      if (v) out.push(v);
    }
    return out.sort((a, b) => versionSort(a.version, b.version));
  }

  async get(name: string, version: string): Promise<ModelVersion | undefined> {
    const dir = path.join(this.modelDir(name), version);
    return existsSync(dir) ? this.read(dir) : undefined;
  }

  async create(v: NewModelVersion): Promise<ModelVersion> {
    const dir = this.modelDir(v.name);
    mkdirSync(dir, { recursive: true });
    const contentHash = (await hashFolder(v.files, v.files)).hash;
    // Stage a complete copy first; only a rename makes it visible.
    const staging = path.join(dir, `.staging-${process.pid}-${randomBytes(4).toString('hex')}`);
    cpSync(v.files, staging, { recursive: true });
    try {
      for (let attempt = 0; attempt < 100; attempt++) {
        const versions = await this.list(v.name);
        const same = versions.find(
          (x) => x.contentHash === contentHash && (v.version === undefined || x.version === v.version),
        );
        if (same) return same;
        const version =
          v.version ??
          String(Math.max(0, ...versions.map((x) => (/^\d+$/.test(x.version) ? Number(x.version) : 0))) + 1);
        const record: ModelVersion = {
          name: v.name,
          version,
          contentHash,
          metrics: v.metrics,
          tags: v.tags,
          createdAt: new Date(this.clock.now()).toISOString(),
          location: path.join(dir, version),
        };
        writeFileAtomic(path.join(staging, VERSION_FILE), JSON.stringify(record, null, 2) + '\n');
        try {
          renameSync(staging, path.join(dir, version));
          return record;
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw err;
          // Someone else holds this version: identical content is success, other content a conflict.
          const theirs = this.read(path.join(dir, version));
          if (theirs && theirs.contentHash === contentHash) return theirs;
          if (v.version !== undefined) {
            throw new RegistryConflictError(
              `${this.description} already has ${v.name} version ${version} with different content (${theirs?.contentHash ?? 'unreadable'}); versions are immutable: register under a new version`,
            );
          }
          // Auto-numbered: another writer took this number first; try the next.
        }
      }
      throw new Error(`could not find a free version for ${v.name} in ${this.dir} after 100 attempts`);
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }

  /** The version's own folder (the publish side leaves out the record kept in it); nothing to clean up. */
  async materialize(v: ModelVersion): Promise<MaterializedModel> {
    return { dir: v.location, cleanup: async () => {} };
  }

  private read(dir: string): ModelVersion | undefined {
    try {
      return JSON.parse(readFileSync(path.join(dir, VERSION_FILE), 'utf8')) as ModelVersion;
    } catch {
      return undefined; // a folder without a complete record is not a version
    }
  }
}

/** The two embedded registries of a project. */
export function localRegistries(root: string, clock?: Clock) {
  return {
    experiment: new LocalRegistry(
      path.join(root, '.tfaml', 'experiment'),
      'the local experiment registry (.tfaml/experiment)',
      clock,
    ),
    production: new LocalRegistry(
      path.join(root, '.tfaml', 'production'),
      'the local production registry (.tfaml/production)',
      clock,
    ),
  };
}
