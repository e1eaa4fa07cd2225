/**
 * The cluster a job runs on must not bill while idle: train reads the compute's live settings (not only the job
 * YAML) and refuses one that keeps nodes up.
 */
import type { JobFile } from '../../config/project.js';
import { ConfigurationError } from '../../core/errors.js';
import type { Workspace } from '../../core/ports.js';
import { computeName } from './job.js';

/** Refuse to train on a cluster that bills while idle: the live settings count, not only the YAML. */
export async function requireEphemeralCompute(
  ws: Workspace,
  job: JobFile,
  maxIdleSeconds: number,
): Promise<{ name: string; vmSize?: string }> {
  const name = computeName(job);
  const c = await ws.getCompute(name);
  const at = job.doc.locate(job.compute!.at);
  if (!c)
    throw new ConfigurationError(
      `compute ${name} does not exist in ${ws.description}; create it (az ml compute create -f <compute yml>) or fix \`compute:\``,
      at,
    );
  if (c.computeType.toLowerCase() !== 'amlcompute')
    throw new ConfigurationError(
      `compute ${name} is a ${c.computeType}, not an ephemeral amlcompute cluster; train on a cluster with min_instances: 0`,
      at,
    );
  if ((c.minNodes ?? 0) > 0)
    throw new ConfigurationError(
      `compute ${name} keeps ${c.minNodes} node(s) running with no job (min_instances ${c.minNodes}); set min_instances to 0 before training on it`,
      at,
    );
  if (c.idleSeconds !== undefined && c.idleSeconds > maxIdleSeconds)
    throw new ConfigurationError(
      `compute ${name} keeps idle nodes ${c.idleSeconds} s, above the policy of ${maxIdleSeconds} s; lower idle_time_before_scale_down`,
      at,
    );
  return { name, vmSize: c.vmSize };
}
