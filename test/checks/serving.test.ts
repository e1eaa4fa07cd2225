/**
 * model/serving-policy: the loading and serving decisions in tfaml.yml, held to the gates, the endpoints, the
 * environments' Dockerfiles and tfaml.lock. Each row is the example project with a change.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkServing } from '../../src/checks/serving.js';
import { loadConfig } from '../../src/config/load.js';
import { loadProject } from '../../src/config/project.js';
import { readLock } from '../../src/lock/lockfile.js';
import { copyExample, patch } from '../helpers/project.js';

const DECISIONS = '  loading: dynamic\n  serving: realtime\n';
const BAKED_ENV = `environments:
  - path: azureml/environments/serve.yml
    stage: production
  - path: azureml/environments/tf-gpu.yml
    stage: production
`;

function findings(change: (dir: string) => void) {
  const dir = copyExample();
  change(dir);
  const config = loadConfig(path.join(dir, 'tfaml.yml'));
  return checkServing(loadProject(config), readLock(dir)).map((f) => ({
    severity: f.severity,
    at: `${f.file}:${f.line}`,
    message: f.message,
  }));
}

/** Writes `file` under `dir`, making its folders. */
function write(dir: string, file: string, text: string) {
  mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  writeFileSync(path.join(dir, file), text);
}

const decide = (dir: string, loading: string, serving: string) =>
  patch(dir, 'tfaml.yml', DECISIONS, `  loading: ${loading}\n  serving: ${serving}\n`);

/** A local model folder in the repository, a serving environment built from `context`, with `dockerfile`. */
function bakedProject(dir: string, context: string, dockerfile: string) {
  decide(dir, 'baked', 'realtime');
  patch(dir, 'tfaml.yml', /hub: .*\n/, 'hub: models/mobilenet\n');
  write(dir, 'models/mobilenet/model.json', '{}');
  write(
    dir,
    'azureml/environments/serve.yml',
    `name: serve\nversion: "1"\nbuild:\n  path: ${context}\n  dockerfile_path: Dockerfile\n`,
  );
  write(dir, path.join('azureml/environments', context, 'Dockerfile'), dockerfile);
  patch(
    dir,
    'tfaml.yml',
    /environments:\n {2}- path: azureml\/environments\/tf-gpu.yml\n {4}stage: production\n/,
    BAKED_ENV,
  );
}

const FROM =
  'FROM mcr.microsoft.com/azureml/minimal-ubuntu22.04-py39-cpu-inference:20240415.v1@sha256:' + 'a'.repeat(64);

describe('model/serving-policy', () => {
  it('the example decides both, and holds to them: no finding', () => {
    expect(findings(() => {})).toEqual([]);
  });

  const cases: [string, (dir: string) => void, { severity: string; at: RegExp; message: RegExp }[]][] = [
    [
      'both decisions missing: one warning at model naming both questions',
      (d) => patch(d, 'tfaml.yml', DECISIONS, ''),
      [
        {
          severity: 'warning',
          at: /^tfaml\.yml:\d+$/,
          message:
            /^model has no `loading` or `serving` decision\. Two questions to answer in tfaml\.yml: is the hub model loaded at start-up or baked .*\? And does it serve online, in batches, or not at all .*\?$/,
        },
      ],
    ],
    [
      'one decision missing: still both questions',
      (d) => patch(d, 'tfaml.yml', '  serving: realtime\n', ''),
      [
        {
          severity: 'warning',
          at: /tfaml\.yml/,
          message: /^model has no `serving` decision\. .*loaded at start-up.*serve online/,
        },
      ],
    ],
    [
      'realtime without a latency gate: an error at serving',
      (d) => patch(d, 'tfaml.yml', '  - metric: latency_p95_ms\n    max: 500\n', ''),
      [{ severity: 'error', at: /tfaml\.yml/, message: /^serving: realtime needs a gate on latency .*latency_p95_ms/ }],
    ],
    [
      'batch with a managed online deployment in endpoints: an error naming it',
      (d) => decide(d, 'dynamic', 'batch'),
      [
        {
          severity: 'error',
          at: /tfaml\.yml/,
          message:
            /^serving: batch, yet endpoints lists the managed online deployment "azureml\/endpoints\/blue\.yml": an always-on endpoint/,
        },
      ],
    ],
    [
      'none with an endpoint: the same',
      (d) => decide(d, 'dynamic', 'none'),
      [{ severity: 'error', at: /tfaml\.yml/, message: /^serving: none, yet endpoints lists/ }],
    ],
    [
      'batch without endpoints: fine',
      (d) => {
        decide(d, 'dynamic', 'batch');
        patch(d, 'tfaml.yml', 'endpoints:\n  - path: azureml/endpoints/blue.yml\n', '');
      },
      [],
    ],
    [
      'dynamic with an unversioned handle: pin it',
      (d) =>
        patch(
          d,
          'tfaml.yml',
          /hub: .*\n/,
          'hub: https://tfhub.dev/google/imagenet/mobilenet_v2_140_224/feature_vector\n',
        ),
      [
        {
          severity: 'error',
          at: /tfaml\.yml/,
          message: /^loading: dynamic downloads the handle .* has no version.*Pin its version$/,
        },
      ],
    ],
    [
      'dynamic not hashed in tfaml.lock yet: lock/missing-entry says to run tfaml lock, not this rule again',
      (d) => patch(d, 'tfaml.lock', /"hash": "sha256:7eca[0-9a-f]+",?\n/, ''),
      [],
    ],
    [
      'dynamic with no tfaml.lock entry: the same',
      (d) => patch(d, 'tfaml.yml', 'name: flowers-classifier\n  hub', 'name: tulips\n  hub'),
      [],
    ],
    [
      'dynamic with tfaml.lock pinning another handle: an error',
      (d) => patch(d, 'tfaml.lock', /"hub": "[^"]+"/, '"hub": "https://tfhub.dev/google/other/1"'),
      [
        {
          severity: 'error',
          at: /tfaml\.yml/,
          message:
            /tfaml\.lock pins another handle \("https:\/\/tfhub\.dev\/google\/other\/1"\) for "flowers-classifier"/,
        },
      ],
    ],
    [
      'baked, the model folder in the context and copied in: fine',
      (d) => bakedProject(d, '../..', `${FROM}\nCOPY models/mobilenet /var/azureml-app/model\n`),
      [],
    ],
    ['baked, the whole context copied: fine', (d) => bakedProject(d, '../..', `${FROM}\nCOPY . /app\n`), []],
    [
      'baked, the model in the context but never copied: an error',
      (d) => bakedProject(d, '../..', `${FROM}\nCOPY score.py /app/\n`),
      [
        {
          severity: 'error',
          at: /tfaml\.yml/,
          message: /^loading: baked, but no environment .*holds "models\/mobilenet" and COPYs it/,
        },
      ],
    ],
    [
      'baked, the model outside the build context: an error',
      (d) => bakedProject(d, 'serve', `${FROM}\nCOPY . /app\n`),
      [{ severity: 'error', at: /tfaml\.yml/, message: /^loading: baked, but no environment/ }],
    ],
    [
      'baked, copied from another stage only: an error',
      (d) => bakedProject(d, '../..', `${FROM} AS build\n${FROM}\nCOPY --from=build /models/mobilenet /app\n`),
      [{ severity: 'error', at: /tfaml\.yml/, message: /^loading: baked/ }],
    ],
    [
      'baked with a remote handle the Dockerfile downloads: fine',
      (d) => {
        bakedProject(d, '../..', `${FROM}\nRUN curl -fsSL -o /app/model.tgz "https://tfhub.dev/google/x/3"\n`);
        patch(d, 'tfaml.yml', 'hub: models/mobilenet\n', 'hub: https://tfhub.dev/google/x/3\n');
      },
      [],
    ],
    [
      'baked with only image environments: an error that says why',
      (d) => decide(d, 'baked', 'realtime'),
      [
        {
          severity: 'error',
          at: /tfaml\.yml/,
          message: /an `image:` environment cannot be looked into.*fetches "https:\/\/tfhub\.dev/,
        },
      ],
    ],
  ];

  it.each(cases)('%s', (_, change, expected) => {
    const got = findings(change);
    expect(got).toHaveLength(expected.length);
    expected.forEach((e, i) => {
      expect(got[i]!.severity).toBe(e.severity);
      expect(got[i]!.at).toMatch(e.at);
      expect(got[i]!.message).toMatch(e.message);
    });
  });
});
