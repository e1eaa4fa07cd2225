/**
 * Who hears about a pull request's changes: the owners of every asset it changes, as the BASE branch's tfaml.yml names
 * them (an entry's `owner`, else the project's `owners`). The pull request's own tfaml.yml is not asked, so a PR
 * cannot choose whom it pings (nor silence an owner by rewriting the owner line); an asset the PR adds, which the base
 * does not list, goes to the base's project owners.
 */
import path from 'node:path';
import type { BaseRef } from '../core/ports.js';
import type { ProjectFiles } from './files.js';
import { relPath } from './load.js';
import type { Project } from './project.js';
import { SourceDoc } from './source.js';

const LISTS = ['environments', 'data', 'compute', 'jobs', 'endpoints'] as const;

/** The base's owners: the project's, and each asset entry's own by its project-relative path. */
export interface BaseOwners {
  owners: string[];
  assets: Map<string, string | undefined>;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** The owners in the tfaml.yml at `configPath` in the base's files; undefined when the base has none it can read. */
export function readBaseOwners(configPath: string, files: ProjectFiles): BaseOwners | undefined {
  const abs = path.resolve(configPath);
  if (!files.exists(abs)) return undefined;
  let data: unknown;
  try {
    data = SourceDoc.read(path.basename(abs), abs, undefined, 'config file', files).data;
  } catch {
    // A base that cannot be read names nobody; validate and cost say why elsewhere (src/config/policy.ts).
    return undefined;
  }
  const d = obj(data);
  const assets = new Map<string, string | undefined>();
  for (const list of LISTS)
    for (const e of Array.isArray(d[list]) ? (d[list] as unknown[]) : []) {
      const entry = obj(e);
      if (typeof entry.path !== 'string') continue;
      assets.set(relPath(entry.path), typeof entry.owner === 'string' ? entry.owner : undefined);
    }
  return { owners: strings(d.owners), assets };
}

/**
 * Project-relative paths of the assets whose files differ from the base: each listed YAML file, an environment's
 * conda file and build context, a data asset's local copy; and every asset the base lists that the PR dropped.
 */
export function changedAssets(project: Project, base: BaseRef, baseOwners: BaseOwners | undefined): string[] {
  const changed = new Set<string>();
  const check = (asset: string, ...files: (string | undefined)[]) => {
    if (files.some((f) => f !== undefined && base.changedSince(f))) changed.add(asset);
  };
  for (const e of project.environments) check(relPath(e.entry.path), e.entry.path, e.conda?.file, e.build?.dir);
  for (const d of project.data) check(relPath(d.entry.path), d.entry.path, d.entry.local);
  for (const f of [...project.compute, ...project.jobs, ...project.endpoints])
    check(relPath(f.entry.path), f.entry.path);
  const listed = new Set(
    [...project.environments, ...project.data, ...project.compute, ...project.jobs, ...project.endpoints].map((f) =>
      relPath(f.entry.path),
    ),
  );
  for (const p of baseOwners?.assets.keys() ?? []) if (!listed.has(p)) changed.add(p);
  return [...changed].sort();
}

/** The base's owners of the changed assets, each once (in the order first named), case-insensitively. */
export function ownersOf(baseOwners: BaseOwners, changed: readonly string[]): string[] {
  const out = new Map<string, string>();
  for (const p of changed) {
    const own = baseOwners.assets.get(p);
    for (const o of own !== undefined ? [own] : baseOwners.owners) {
      const key = o.trim().replace(/^@/, '').toLowerCase();
      if (key && !out.has(key)) out.set(key, o.trim());
    }
  }
  return [...out.values()];
}
