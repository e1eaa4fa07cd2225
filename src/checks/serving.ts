/**
 * model/serving-policy: the two serving questions a team must answer for a hub model — is it loaded dynamically or
 * baked into the environment, and does it serve online, in batches or not at all — answered in tfaml.yml
 * (`model.loading`, `model.serving`) and held to what the rest of the project says.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseHubHandle } from '../config/hub.js';
import type { EnvironmentFile, Project } from '../config/project.js';
import type { ModelConfig } from '../config/types.js';
import type { Finding } from '../core/findings.js';
import type { Lockfile } from '../lock/lockfile.js';
import { dockerInstructions, shellWords } from '../parse/dockerfile.js';
import { quote } from '../core/inert.js';
import { findingAt } from './finding.js';

const QUESTIONS = {
  loading:
    'is the hub model loaded at start-up or baked into the environment (`loading: dynamic` or `loading: baked`)?',
  serving:
    'does it serve online, in batches, or not at all (`serving: realtime`, `serving: batch` or `serving: none`)?',
};

/** The sources of each COPY/ADD from the build context (not `--from` another stage), as written. */
function contextSources(dockerfile: string): string[] {
  const out: string[] = [];
  for (const ins of dockerInstructions(dockerfile)) {
    if (ins.keyword !== 'COPY' && ins.keyword !== 'ADD') continue;
    let words: string[];
    const args = ins.args.trim();
    if (args.startsWith('[')) {
      try {
        words = JSON.parse(args) as string[];
      } catch {
        continue;
      }
    } else
      words = shellWords(args)
        .filter((w) => !w.op)
        .map((w) => w.text);
    if (words.some((w) => w.startsWith('--from'))) continue;
    out.push(...words.filter((w) => !w.startsWith('--')).slice(0, -1));
  }
  return out;
}

/** Does the environment's build put the model in the image: the model folder copied from its context, or the handle fetched? */
function bakes(env: EnvironmentFile, m: ModelConfig, root: string): boolean {
  if (!env.build) return false;
  let text = env.build.dockerfileText;
  try {
    text ??= readFileSync(path.join(root, env.build.dockerfile), 'utf8');
  } catch {
    return false; // env/… reports an unreadable Dockerfile; here it bakes nothing
  }
  const context = path.join(root, env.build.dir);
  const h = parseHubHandle(m.hub);
  if (h.kind === 'local') {
    const rel = path.relative(context, path.resolve(root, h.path)).split(path.sep).join('/');
    if (rel.startsWith('..') || path.isAbsolute(rel)) return false; // outside the context: COPY cannot reach it
    return contextSources(text).some((src) => {
      const s = src.replace(/^\.\//, '').replace(/\/+$/, '');
      return s === '' || s === '.' || s === '*' || rel === s || rel.startsWith(`${s}/`);
    });
  }
  // A remote handle is baked when the build fetches it (RUN curl/wget, ADD <url>, a download script given the URL).
  const handle = m.hub.replace(/\/+$/, '');
  return dockerInstructions(text).some(
    (ins) => ins.args.includes(handle) || ins.heredoc.some((l) => l.text.includes(handle)),
  );
}

export function checkServing(project: Project, lock: Lockfile | undefined): Finding[] {
  const m = project.config.model;
  if (!m) return [];
  const doc = project.config.doc;
  const out: Finding[] = [];
  const missing = (['loading', 'serving'] as const).filter((k) => m[k] === undefined);
  if (missing.length)
    out.push(
      findingAt(
        'model/serving-policy',
        'warning',
        doc,
        ['model'],
        `model has no ${missing.map((k) => `\`${k}\``).join(' or ')} decision. Two questions to answer in tfaml.yml: ${QUESTIONS.loading} And ${QUESTIONS.serving}`,
        { key: true },
      ),
    );

  if (m.serving === 'realtime' && !project.config.gates.some((g) => g.metric.startsWith('latency_')))
    out.push(
      findingAt(
        'model/serving-policy',
        'error',
        doc,
        ['model', 'serving'],
        'serving: realtime needs a gate on latency (an online endpoint is judged by it), and gates has none on a latency_* metric; add one, e.g. `- metric: latency_p95_ms` with `max: 200`',
      ),
    );
  if ((m.serving === 'batch' || m.serving === 'none') && project.endpoints.length)
    out.push(
      findingAt(
        'model/serving-policy',
        'error',
        doc,
        ['model', 'serving'],
        `serving: ${m.serving}, yet endpoints lists the managed online deployment${project.endpoints.length > 1 ? 's' : ''} ${project.endpoints.map((e) => quote(e.entry.path)).join(', ')}: an always-on endpoint for work that does not need one. Remove ${project.endpoints.length > 1 ? 'them' : 'it'} from endpoints, or use serving: realtime`,
      ),
    );

  if (m.loading === 'baked' && !project.environments.some((e) => bakes(e, m, project.config.root))) {
    const h = parseHubHandle(m.hub);
    const how =
      h.kind === 'local'
        ? `an environment built from a \`build:\` context that holds ${quote(h.path)} and COPYs it into the image`
        : `an environment built from a \`build:\` context whose Dockerfile fetches ${quote(m.hub)} (RUN curl/wget or ADD), or a model folder in the repository copied in`;
    out.push(
      findingAt(
        'model/serving-policy',
        'error',
        doc,
        ['model', 'loading'],
        `loading: baked, but no environment in tfaml.yml puts the model files in its image (tfaml reads each build context's Dockerfile; an \`image:\` environment cannot be looked into). Add ${how}, or use loading: dynamic`,
      ),
    );
  }

  if (m.loading === 'dynamic') {
    const h = parseHubHandle(m.hub);
    const locked = lock?.models[m.name];
    if ((h.kind === 'tfhub' || h.kind === 'kaggle') && h.version === undefined)
      out.push(
        findingAt(
          'model/serving-policy',
          'error',
          doc,
          ['model', 'hub'],
          'loading: dynamic downloads the handle when the service starts, and this handle has no version: each start could load another model. Pin its version',
        ),
      );
    // Not locked or not hashed yet is lock/missing-entry's warning (validate never downloads, so --update-lock records
    // the handle before `tfaml lock` hashes it); a lock of another handle means what starts is not what was reviewed.
    else if (locked && locked.hub !== m.hub)
      out.push(
        findingAt(
          'model/serving-policy',
          'error',
          doc,
          ['model', 'loading'],
          `loading: dynamic downloads ${quote(m.hub)} when the service starts, and tfaml.lock pins another handle (${quote(locked.hub)}) for ${quote(m.name)}, so nothing checks that what starts is what was reviewed; run \`tfaml lock\` and commit tfaml.lock`,
        ),
      );
  }
  return out;
}
