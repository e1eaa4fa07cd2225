import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dockerfileDependencies } from '../../src/parse/dockerfile-installs.js';
import { finalBase, parseDockerfile } from '../../src/parse/dockerfile.js';

// What the Dockerfile parser reads; the findings over it are test/checks/dockerfile.test.ts.

const DIGEST = `sha256:${'ab'.repeat(32)}`;

describe('FROM lines', () => {
  it('follows stages back to the base image', () => {
    const df = parseDockerfile(`ARG V=3.10\nFROM python:$V AS base\nFROM base AS app\nRUN true\nFROM app\n`);
    expect(finalBase(df).from).toMatchObject({ image: 'python:3.10', line: 2, kind: 'image' });
  });
});

describe('RUN installs', () => {
  const head = `FROM python:3.10@${DIGEST}\n`;
  const root = mkdtempSync(path.join(tmpdir(), 'tfaml-docker-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(path.join(root, 'ctx'), { recursive: true });

  it('lists what RUN installs', () => {
    const deps = dockerfileDependencies(
      'ctx/Dockerfile',
      parseDockerfile(`${head}RUN pip install tensorflow==2.15.0\n`),
      { root, dir: 'ctx' },
    );
    expect(deps.map((d) => [d.manager, d.name, d.version, d.location.line])).toEqual([
      ['pip', 'tensorflow', '2.15.0', 2],
    ]);
  });
});
