/** model/unpinned-handle and model/finetune-policy: the hub model is a dependency with a version and a policy. */
import { parseHubHandle } from '../config/hub.js';
import type { Project } from '../config/project.js';
import type { Finding } from '../core/findings.js';
import { findingAt } from './finding.js';
import { quote } from '../core/inert.js';

export function checkModel(project: Project): Finding[] {
  const m = project.config.model;
  if (!m) return [];
  const doc = project.config.doc;
  const out: Finding[] = [];
  const h = parseHubHandle(m.hub);
  if ((h.kind === 'tfhub' || h.kind === 'kaggle') && h.version === undefined) {
    const example =
      h.kind === 'tfhub'
        ? `${h.base}/<version>${m.format === 'graph' || m.format === 'layers' ? '/default/1' : ''}`
        : `${h.base}/<version>`;
    out.push(
      findingAt(
        'model/unpinned-handle',
        'error',
        doc,
        ['model', 'hub'],
        `the hub handle has no version, so it resolves to whatever was published last; pin it, e.g. ${example}`,
      ),
    );
  } else if (h.kind === 'url') {
    out.push(
      findingAt(
        'model/unpinned-handle',
        'warning',
        doc,
        ['model', 'hub'],
        `${quote(m.hub)} carries no version; it is pinned only by the hashes in tfaml.lock. Prefer a versioned tfhub.dev or Kaggle handle, or a folder in the repository`,
      ),
    );
  }

  if (m.fineTune === undefined) {
    out.push(
      findingAt(
        'model/finetune-policy',
        'error',
        doc,
        ['model'],
        'model has no `fine-tune` policy; decide whether the base is frozen (`fine-tune: none`) or which layers may train (`fine-tune: top-2`)',
        { key: true },
      ),
    );
  } else if (m.fineTune.mode === 'top' && m.format === 'graph') {
    out.push(
      findingAt(
        'model/finetune-policy',
        'error',
        doc,
        ['model', 'fine-tune'],
        `${quote(m.fineTuneText)} needs trainable layers, but a graph model is a frozen graph; use \`fine-tune: none\`, or a layers model (\`format: layers\`)`,
      ),
    );
  }
  if (m.format === 'layers' && m.featureLayer === undefined) {
    out.push(
      findingAt(
        'model/finetune-policy',
        'error',
        doc,
        ['model', 'format'],
        'a layers model needs `feature-layer`: the layer where the frozen base is cut and the new head attaches (e.g. `feature-layer: flatten_1`)',
      ),
    );
  } else if (m.format === 'graph' && m.featureLayer !== undefined) {
    out.push(
      findingAt(
        'model/finetune-policy',
        'warning',
        doc,
        ['model', 'feature-layer'],
        'feature-layer applies to layers models only; a graph feature-vector model already ends at its features. Remove it',
      ),
    );
  }
  return out;
}
