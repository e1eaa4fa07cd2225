/**
 * azureml/unknown-key: a key Azure ML's own schema does not have is a typo until shown otherwise. Without this,
 * `min_instance: 1` passed (the loader reads `min_instances`) and `conda_fle:` surfaced as an immutability conflict.
 * The keys come from the azure-ai-ml SDK's schemas, kept as data with their source in ./data/azureml-keys.json.
 */
import type { Project } from '../config/project.js';
import type { SourceDoc, YamlPath } from '../config/source.js';
import type { Finding } from '../core/findings.js';
import { quote } from '../core/inert.js';
import { nearest } from '../core/nearest.js';
import table from './data/azureml-keys.json' with { type: 'json' };
import { findingAt } from './finding.js';

interface KeyTable {
  keys: readonly string[];
  /** Keys whose value, when a mapping, has keys of its own: the table that lists them. Others are not descended. */
  nested?: Readonly<Record<string, string>>;
}

const TABLES = table.tables as Readonly<Record<string, KeyTable>>;
const KINDS = table.kinds as Readonly<Record<string, string>>;

/** How a message names each kind (never the file's own words, which a pull request controls). */
const WHAT: Readonly<Record<string, string>> = {
  environment: 'environment',
  data: 'data asset',
  'compute/amlcompute': 'amlcompute cluster',
  'compute/computeinstance': 'compute instance',
  'job/command': 'command job',
  'job/sweep': 'sweep job',
  'deployment/online': 'online deployment',
};

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The kinds a listed file is checked as; undefined for kinds the table does not know (a pipeline job, a kubernetes compute). */
function computeKind(type: string | undefined): string | undefined {
  const t = (type ?? '').toLowerCase();
  if (t === 'amlcompute') return 'compute/amlcompute';
  if (t === 'computeinstance' || t === 'compute_instance') return 'compute/computeinstance';
  return undefined;
}

function jobKind(type: string): string | undefined {
  return type === 'command' ? 'job/command' : type === 'sweep' ? 'job/sweep' : undefined;
}

/** Words for where a key sits: the kind, then the (known, so trusted) keys leading to it. */
function where(what: string, path: YamlPath): string {
  return path.length === 0 ? `this ${what}` : `${path.join('.')} of this ${what}`;
}

interface Unknown {
  path: YamlPath;
  key: string;
  /** The keys that table has, for the nearest one. */
  known: readonly string[];
}

/** The unknown keys of `value` under the table `name`, with the (known) keys leading to each. */
function walk(name: string, value: unknown, path: YamlPath, out: Unknown[]): void {
  const t = TABLES[name];
  if (!t || !isObj(value)) return;
  for (const [key, v] of Object.entries(value)) {
    const inner = t.nested?.[key];
    if (!t.keys.includes(key)) out.push({ path, key, known: t.keys });
    else if (inner) walk(inner, v, [...path, key], out);
  }
}

/**
 * At most this many findings a file: placing a key scans its mapping, so a file of 20,000 stray keys (a case of
 * test/fuzz/specs.test.ts) would take quadratic time, and nobody reads past the first screenful anyway.
 */
const MAX_PER_FILE = 20;

function findings(doc: SourceDoc, what: string, name: string): Finding[] {
  const unknown: Unknown[] = [];
  walk(name, doc.data, [], unknown);
  const out = unknown.slice(0, MAX_PER_FILE).map(({ path, key, known }) => {
    const near = nearest(key, known);
    const fix = near
      ? `did you mean \`${near}\`?`
      : 'remove it or correct it against the Azure ML CLI v2 YAML reference';
    return findingAt(
      'azureml/unknown-key',
      'warning',
      doc,
      [...path, key],
      `unknown key ${quote(key)} in ${where(what, path)}: Azure ML's schema has no such key; ${fix}`,
      { key: true },
    );
  });
  if (unknown.length > MAX_PER_FILE) {
    const last = out[out.length - 1]!;
    out.push({
      ...last,
      message: `and ${unknown.length - MAX_PER_FILE} more unknown keys in this ${what}; fix the ones above and run again`,
    });
  }
  return out;
}

export function checkAzureMlKeys(project: Project): Finding[] {
  const out: Finding[] = [];
  const check = (doc: SourceDoc, kind: string | undefined) => {
    const name = kind === undefined ? undefined : KINDS[kind];
    if (kind !== undefined && name) out.push(...findings(doc, WHAT[kind] ?? kind, name));
  };
  for (const e of project.environments) check(e.doc, 'environment');
  for (const d of project.data) check(d.doc, 'data');
  for (const c of project.compute) check(c.doc, computeKind(c.type));
  for (const j of project.jobs) check(j.doc, jobKind(j.type));
  for (const e of project.endpoints) check(e.doc, 'deployment/online');
  return out;
}
