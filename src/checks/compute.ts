/** compute/not-ephemeral: GPUs exist only while a job runs (seed article 2.2, 2.7). */
import type { Project } from '../config/project.js';
import type { Finding } from '../core/findings.js';
import { findingAt } from './finding.js';
import { quote } from '../core/inert.js';

/** `max` is policy.max-idle-seconds from the tfaml.yml that judges the project: the base's on a pull request. */
export function checkCompute(project: Project, max = project.config.policy.maxIdleSeconds): Finding[] {
  const out: Finding[] = [];
  for (const c of project.compute) {
    const type = (c.type ?? '').toLowerCase();
    if (type === 'computeinstance' || type === 'compute_instance') {
      out.push(
        findingAt(
          'compute/not-ephemeral',
          'error',
          c.doc,
          ['type'],
          `${quote(c.name)} is a compute instance: a long-lived VM that drifts and bills while idle; train on an amlcompute cluster with min_instances: 0`,
        ),
      );
      continue;
    }
    if (type !== 'amlcompute') continue;
    if ((c.minInstances ?? 0) > 0) {
      out.push(
        findingAt(
          'compute/not-ephemeral',
          'error',
          c.doc,
          ['min_instances'],
          `min_instances is ${c.minInstances}, so ${c.minInstances} node(s) run and bill even with no job; set min_instances: 0`,
        ),
      );
    }
    if (c.idleSeconds === undefined) {
      out.push(
        findingAt(
          'compute/not-ephemeral',
          'warning',
          c.doc,
          ['name'],
          `idle_time_before_scale_down is not set, so the service default decides how long idle nodes bill; set it explicitly, at most ${max} (seconds)`,
        ),
      );
    } else if (c.idleSeconds > max) {
      out.push(
        findingAt(
          'compute/not-ephemeral',
          'error',
          c.doc,
          ['idle_time_before_scale_down'],
          `idle nodes stay up ${c.idleSeconds} s after a job, above the policy of ${max} s; lower idle_time_before_scale_down to ${max} or less (or raise policy.max-idle-seconds in tfaml.yml)`,
        ),
      );
    }
  }
  return out;
}
