/** data/floating-version: data is a dependency and must be pinned (seed article 2.3). */
import { parseAssetRef } from '../config/refs.js';
import type { Project } from '../config/project.js';
import type { Finding } from '../core/findings.js';
import { findingAt } from './finding.js';
import { quote } from '../core/inert.js';

const MODEL_INPUT_TYPES = new Set(['mlflow_model', 'custom_model', 'triton_model']);

export function checkData(project: Project): Finding[] {
  const out: Finding[] = [];
  for (const d of project.data) {
    if (d.version === undefined) {
      out.push(
        findingAt(
          'data/floating-version',
          'error',
          d.doc,
          ['name'],
          `data asset ${quote(d.name)} has no \`version\`, so every registration makes a new one and jobs cannot pin it; add \`version: "1"\` and bump it whenever the data changes`,
        ),
      );
    }
  }
  for (const job of project.jobs) {
    for (const input of job.inputs) {
      if (input.type && MODEL_INPUT_TYPES.has(input.type)) continue;
      const r = parseAssetRef(input.value);
      const what = `input ${quote(input.name)}`;
      switch (r.kind) {
        case 'label':
          out.push(
            findingAt(
              'data/floating-version',
              'error',
              job.doc,
              input.at,
              `${what} uses ${quote(input.value)}, which moves whenever someone registers a new version; pin it: azureml:${r.name}:<version>`,
            ),
          );
          break;
        case 'unversioned':
          out.push(
            findingAt(
              'data/floating-version',
              'error',
              job.doc,
              input.at,
              `${what} names data asset ${quote(r.name)} without a version; pin it: azureml:${r.name}:<version>`,
            ),
          );
          break;
        case 'registry-label':
          out.push(
            findingAt(
              'data/floating-version',
              'error',
              job.doc,
              input.at,
              `${what} follows the label ${quote(r.label)} in registry ${quote(r.registry)}; pin it: azureml://registries/${r.registry}/${r.assetType}/${r.name}/versions/<version>`,
            ),
          );
          break;
        case 'datastore':
        case 'url':
        case 'local':
          out.push(
            findingAt(
              'data/floating-version',
              'warning',
              job.doc,
              input.at,
              `${what} reads ${quote(input.value)} directly, which has no version: the data can change under the same job; register it as a data asset and refer to it as azureml:<name>:<version>`,
            ),
          );
          break;
        default:
          break;
      }
    }
  }
  return out;
}
