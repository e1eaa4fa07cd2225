/**
 * What an existing repository already holds, for `tfaml init`: which YAML files are Azure ML CLI v2 assets (by their
 * `$schema`, else by their shape, as the CLI's own schemas tell them apart) and who owns the code (CODEOWNERS).
 * Pure: the command reads the files and passes their text.
 */
import { parse } from 'yaml';

export type AssetKind = 'environments' | 'data' | 'compute' | 'jobs' | 'endpoints';

export interface FoundAsset {
  kind: AssetKind;
  /** Project-relative, forward slashes. */
  path: string;
  /** The asset's `name:`, when it has one (a job's may be missing). */
  name?: string;
  /** Why tfaml thinks so, for the report: `$schema` or the keys that gave it away. */
  by: string;
}

const SCHEMAS: [RegExp, AssetKind][] = [
  [/\/environment\.schema\.json$/i, 'environments'],
  [/\/data\.schema\.json$/i, 'data'],
  [/\/amlCompute\.schema\.json$/i, 'compute'],
  [/\/(commandJob|sweepJob)\.schema\.json$/i, 'jobs'],
  [/\/(managedOnlineDeployment|kubernetesOnlineDeployment)\.schema\.json$/i, 'endpoints'],
];

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The Azure ML kind of one YAML document, or undefined when it is not one tfaml governs. */
export function classify(path: string, text: string): FoundAsset | undefined {
  let doc: unknown;
  try {
    doc = parse(text, { maxAliasCount: 100 });
  } catch {
    return undefined; // not YAML tfaml can read: not an asset to list (validate will say more once it is listed)
  }
  if (!isObj(doc)) return undefined;
  const name = typeof doc.name === 'string' ? doc.name : undefined;
  const schema = typeof doc.$schema === 'string' ? doc.$schema : undefined;
  if (schema) {
    const hit = SCHEMAS.find(([re]) => re.test(schema));
    return hit ? { kind: hit[1], path, name, by: '$schema' } : undefined;
  }
  const type = typeof doc.type === 'string' ? doc.type.toLowerCase() : undefined;
  if ((type === 'command' || type === 'sweep') && ('command' in doc || 'trial' in doc))
    return { kind: 'jobs', path, name, by: `type: ${type}` };
  if (type === 'amlcompute') return { kind: 'compute', path, name, by: 'type: amlcompute' };
  if ('endpoint_name' in doc && ('instance_type' in doc || 'model' in doc))
    return { kind: 'endpoints', path, name, by: 'endpoint_name' };
  if (name && ('image' in doc || 'conda_file' in doc || 'build' in doc) && !('command' in doc))
    return {
      kind: 'environments',
      path,
      name,
      by: ['image', 'conda_file', 'build'].filter((k) => k in doc).join(', '),
    };
  if (name && 'path' in doc && (type === 'uri_folder' || type === 'uri_file' || type === 'mltable'))
    return { kind: 'data', path, name, by: `type: ${type}` };
  return undefined;
}

/**
 * The owners CODEOWNERS gives the whole repository: the last `*` rule wins, as on GitHub; without one, the owners of
 * the first rule. Only GitHub users (@login) and teams (@org/team), which is what tfaml.yml accepts.
 */
export function codeOwners(text: string): string[] {
  const rules = text
    .split(/\r?\n/)
    .map((l) => l.replace(/#.*$/, '').trim())
    .filter(Boolean)
    .map((l) => l.split(/\s+/));
  const all = rules.filter((r) => r[0] === '*').at(-1) ?? rules[0];
  return (all ?? [])
    .slice(1)
    .filter((o) => /^@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\/[A-Za-z0-9._-]+)?$/.test(o));
}
