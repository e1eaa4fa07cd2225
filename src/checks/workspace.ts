/**
 * validate with a workspace: the facts only Azure knows. An environment version registered with other content
 * (env/immutable-conflict), a job input naming a data version that exists nowhere (data/missing-reference), and a
 * cluster that is not ephemeral as it is configured now, whatever its YAML says (compute/not-ephemeral).
 * Every finding carries `source: 'workspace'`. The checks read through the Workspace port only.
 */
import { parse } from 'yaml';
import type { EnvironmentFile, Project } from '../config/project.js';
import { parseAssetRef } from '../config/refs.js';
import type { Finding } from '../core/findings.js';
import { canonicalJson } from '../core/canonical.js';
import type { Resolved } from '../lock/resolve.js';
import type { RegisteredCompute, RegisteredEnvironment, Workspace } from '../core/ports.js';
import { findingAt } from './finding.js';
import { ENV_HASH_TAG } from '../core/tags.js';
import { quote } from '../core/inert.js';

const fromWorkspace = (f: Finding): Finding => ({ ...f, source: 'workspace' });

function parseConda(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return parse(text) as unknown;
  } catch {
    return text;
  }
}

/** What differs between a registered environment and the file, in words; empty when they agree. */
export function environmentDifferences(
  env: EnvironmentFile,
  reg: RegisteredEnvironment,
  fileHash: string | undefined,
): string[] {
  const tagged = reg.tags[ENV_HASH_TAG];
  if (tagged !== undefined && fileHash !== undefined)
    return tagged === fileHash
      ? []
      : [`content hash ${tagged.slice(0, 19)}… registered, ${fileHash.slice(0, 19)}… in this file`];
  const out: string[] = [];
  if ((reg.image ?? '') !== (env.image ?? ''))
    out.push(
      `image ${reg.image === undefined ? '(none)' : quote(reg.image)} registered, ${env.image === undefined ? '(none)' : quote(env.image)} in this file`,
    );
  const regConda = parseConda(reg.condaFile);
  const fileConda = env.conda?.data;
  if (canonicalJson(regConda ?? null) !== canonicalJson(fileConda ?? null))
    out.push(
      regConda === undefined
        ? 'this file adds a conda file'
        : fileConda === undefined
          ? 'the registered version has a conda file this one lacks'
          : 'the conda file differs',
    );
  if (Boolean(reg.build) !== Boolean(env.build))
    out.push(
      reg.build
        ? 'the registered version is built from a docker context, this file is not'
        : 'this file builds from a docker context, the registered version does not',
    );
  return out;
}

function computeName(ref: string): string | undefined {
  const m = ref.trim().match(/^azureml:([^:@/]+)$/i) ?? ref.trim().match(/^azureml:\/\/.*\/computes\/([^/]+)\/?$/i);
  return m?.[1] ?? (/^[\w-]+$/.test(ref.trim()) ? ref.trim() : undefined);
}

function liveComputeFindings(
  c: RegisteredCompute,
  max: number,
  where: (msg: string, severity: 'error' | 'warning') => Finding,
  wsName: string,
): Finding[] {
  const out: Finding[] = [];
  const type = c.computeType.toLowerCase();
  if (type === 'computeinstance')
    return [
      where(
        `${quote(c.name)} in workspace ${quote(wsName)} is a compute instance: a long-lived VM that drifts and bills while idle; train on an amlcompute cluster with min_instances: 0`,
        'error',
      ),
    ];
  if (type !== 'amlcompute') return out;
  if ((c.minNodes ?? 0) > 0)
    out.push(
      where(
        `${quote(c.name)} in workspace ${quote(wsName)} has min_instances ${c.minNodes} right now, so ${c.minNodes} node(s) bill even with no job; set it to 0 (az ml compute update --name ${c.name} --min-instances 0) and in its YAML`,
        'error',
      ),
    );
  if (c.idleSeconds !== undefined && c.idleSeconds > max)
    out.push(
      where(
        `${quote(c.name)} in workspace ${quote(wsName)} keeps idle nodes ${c.idleSeconds} s after a job, above the policy of ${max} s; lower idle_time_before_scale_down to ${max} or less in Azure and in its YAML`,
        'error',
      ),
    );
  return out;
}

export async function checkWorkspace(
  project: Project,
  resolved: Resolved,
  ws: Workspace,
  wsName: string,
): Promise<Finding[]> {
  const out: Finding[] = [];
  // Environments: a registered name:version is immutable.
  await Promise.all(
    project.environments.map(async (env) => {
      if (!env.name || env.version === undefined) return;
      const reg = await ws.getEnvironment(env.name, env.version);
      if (!reg) return;
      const diff = environmentDifferences(env, reg, resolved.environments.get(`${env.name}:${env.version}`)?.hash);
      if (diff.length) {
        out.push(
          fromWorkspace(
            findingAt(
              'env/immutable-conflict',
              'error',
              env.doc,
              ['version'],
              `workspace ${quote(wsName)} already has environment ${quote(`${env.name}:${env.version}`)} with different content (${diff.join('; ')}); a registered version never changes: bump \`version\``,
            ),
          ),
        );
      }
    }),
  );

  // Data references: a pinned azureml:<name>:<version> must be registered, or be one of the project's data files.
  const defined = new Set(project.data.filter((d) => d.version !== undefined).map((d) => `${d.name}:${d.version}`));
  const refs = project.jobs.flatMap((job) =>
    job.inputs.map((input) => ({ job, input, ref: parseAssetRef(input.value) })),
  );
  const known = new Map<string, Promise<boolean>>();
  await Promise.all(
    refs.map(async ({ job, input, ref }) => {
      if (ref.kind !== 'versioned') return;
      const key = `${ref.name}:${ref.version}`;
      if (defined.has(key)) return;
      if (!known.has(key))
        known.set(
          key,
          ws.getData(ref.name, ref.version).then((d) => d !== undefined),
        );
      if (await known.get(key)) return;
      const versions = (await ws.listDataVersions(ref.name)).map((d) => d.version);
      const hint = versions.length
        ? `registered versions of ${quote(ref.name)} are ${versions.map(quote).join(', ')}`
        : `there is no data asset ${quote(ref.name)} there at all`;
      out.push(
        fromWorkspace(
          findingAt(
            'data/missing-reference',
            'error',
            job.doc,
            input.at,
            `input ${quote(input.name)} uses ${quote(input.value)}, which is neither registered in workspace ${quote(wsName)} nor defined under \`data:\` in tfaml.yml (${hint}); fix the version, or add the data asset's YAML to tfaml.yml`,
          ),
        ),
      );
    }),
  );

  // Compute as it is now: the YAML may say min_instances 0 while the live cluster was changed by hand.
  const max = project.config.policy.maxIdleSeconds;
  const seen = new Set<string>();
  const targets: { name: string; where: (msg: string, severity: 'error' | 'warning') => Finding }[] = [];
  for (const c of project.compute) {
    if (!c.name || seen.has(c.name)) continue;
    seen.add(c.name);
    targets.push({
      name: c.name,
      where: (m, s) => fromWorkspace(findingAt('compute/not-ephemeral', s, c.doc, ['name'], m)),
    });
  }
  for (const job of project.jobs) {
    const name = job.compute ? computeName(job.compute.value) : undefined;
    if (!name || seen.has(name)) continue;
    seen.add(name);
    targets.push({
      name,
      where: (m, s) => fromWorkspace(findingAt('compute/not-ephemeral', s, job.doc, job.compute!.at, m)),
    });
  }
  await Promise.all(
    targets.map(async (t) => {
      const c = await ws.getCompute(t.name);
      if (c) out.push(...liveComputeFindings(c, max, t.where, wsName));
    }),
  );
  return out;
}
