/**
 * gate/unknown-metric: a gate must read a metric the configured trainer produces. The local trainer's metrics are a
 * fixed set (src/train/metric-names.ts), so a misspelt gate is an error here, on the pull request, not after
 * training on main. An Azure job logs whatever its script logs: a name outside the usual set is a warning that says
 * the job must log it.
 */
import type { Project } from '../config/project.js';
import type { Finding } from '../core/findings.js';
import { nearest } from '../core/nearest.js';
import { LOCAL_METRICS } from '../train/metric-names.js';
import { findingAt } from './finding.js';
import { quote } from '../core/inert.js';

export function checkGates(project: Project): Finding[] {
  const { config } = project;
  if (!config.model) return [];
  const target = config.train?.target ?? 'local';
  const known: readonly string[] = LOCAL_METRICS;
  const out: Finding[] = [];
  for (const g of config.gates) {
    if (known.includes(g.metric)) continue;
    const near = nearest(g.metric, known);
    const at = ['gates', g.index, 'metric'];
    if (target === 'local')
      out.push(
        findingAt(
          'gate/unknown-metric',
          'error',
          config.doc,
          at,
          `the local trainer records no metric ${quote(g.metric)}${near ? `; did you mean ${near}?` : ''} (it records ${known.join(', ')})`,
        ),
      );
    else
      out.push(
        findingAt(
          'gate/unknown-metric',
          'warning',
          config.doc,
          at,
          `${quote(g.metric)} is not one of the usual metrics (${known.join(', ')})${near ? `; did you mean ${near}?` : ''}; the Azure job must log it with MLflow for promote to find it`,
        ),
      );
  }
  return out;
}
