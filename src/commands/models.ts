/** models: list the versions in the experiment (or production) registry, with their metrics and lineage. */
import { localRegistries } from '../adapters/local/registry.js';
import { loadConfig } from '../config/load.js';
import { ConfigurationError, UsageError } from '../core/errors.js';
import { type ModelVersion } from '../core/ports.js';
import { readChoice, type Inputs, type Output } from '../core/io.js';
import { TAGS } from '../core/tags.js';

export interface ModelsSettings {
  config: string;
  format: 'text' | 'json';
  /** Which registry to list. */
  registry: 'experiment' | 'production';
  /** The model name; default tfaml.yml's model.name. */
  model?: string;
}

export function readModelsSettings(inputs: Inputs): ModelsSettings {
  return {
    config: inputs.get('config') ?? 'tfaml.yml',
    format: readChoice(inputs, 'format', ['text', 'json'], 'text'),
    registry: readChoice(inputs, 'registry', ['experiment', 'production'], 'experiment'),
    model: inputs.get('model'),
  };
}

const num = (v: number | undefined, d: number) => (v === undefined || !Number.isFinite(v) ? '-' : v.toFixed(d));

/** One line per version. Pure. */
export function modelsTable(versions: readonly ModelVersion[]): string {
  const rows = [
    ['version', 'created', 'accuracy', 'p95 ms', 'backend', 'data', 'hub hash'],
    ...versions.map((v) => [
      v.version,
      v.createdAt.replace(/\.\d+Z$/, 'Z'),
      num(v.metrics.accuracy, 3),
      num(v.metrics.latency_p95_ms, 1),
      v.tags[TAGS.backend] ?? '-',
      v.tags[TAGS.data] ?? '-',
      (v.tags[TAGS.hubHash] ?? '-').slice(0, 19),
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return (
    rows
      .map((r) =>
        r
          .map((c, i) => c.padEnd(widths[i]!))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

export async function models(inputs: Inputs, out: Output): Promise<number> {
  const s = readModelsSettings(inputs);
  const config = loadConfig(s.config);
  const name = s.model ?? config.model?.name;
  if (!name) throw new UsageError('no model name: pass --model NAME or set model.name in tfaml.yml');
  const local =
    s.registry === 'experiment'
      ? config.registries.experiment === 'local'
      : config.registries.production.kind === 'local';
  if (!local)
    throw new ConfigurationError(
      `registries.${s.registry} is not the local registry; listing an Azure ML registry is not available in this version`,
      { file: config.doc.file },
    );
  const registry = localRegistries(config.root)[s.registry];
  const versions = await registry.list(name);
  if (s.format === 'json')
    out.print(JSON.stringify({ registry: registry.description, model: name, versions }, null, 2) + '\n');
  else
    out.print(
      versions.length === 0
        ? `${registry.description} has no versions of ${name}\n`
        : `${name} in ${registry.description}:\n${modelsTable(versions)}`,
    );
  out.setOutput(
    'models-json',
    JSON.stringify(
      versions.map((v) => ({ version: v.version, createdAt: v.createdAt, metrics: v.metrics, location: v.location })),
    ),
  );
  return 0;
}
