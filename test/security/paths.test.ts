/**
 * Path containment (src/config/paths.ts): a path a pull request's files name, or a link in its checkout, never
 * leads tfaml outside the project. Each refusal is exit 2 at the file and line that named the path, before anything
 * under it is read.
 */
import { existsSync, mkdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { train } from '../../src/commands/train.js';
import { validate } from '../../src/commands/validate.js';
import { uploadFilter } from '../../src/train/azure/upload-selection.js';
import { ConfigurationError } from '../../src/core/errors.js';
import { describeFailure } from '../../src/entries/main.js';
import { capture, copyExample, inputs, patch, tempDir } from '../helpers/project.js';

/** A folder outside the project holding a file a PR would like to read. */
function outsideFolder(): string {
  const dir = tempDir('tfaml-outside-');
  writeFileSync(path.join(dir, 'secret.txt'), 'runner secret\n');
  writeFileSync(path.join(dir, 'x.yml'), 'dependencies: [python=3.10.12]\n');
  return dir;
}

async function refusal(dir: string): Promise<ConfigurationError> {
  const p = validate(inputs({ config: path.join(dir, 'tfaml.yml') }), capture('action'));
  await expect(p).rejects.toThrow(ConfigurationError);
  const err = (await p.catch((e: unknown) => e)) as ConfigurationError;
  expect(describeFailure(err).exitCode).toBe(2);
  return err;
}

/** The one problem whose message matches, with its location. */
function problem(err: ConfigurationError, re: RegExp) {
  const all = [err, ...err.more];
  const hit = all.find((e) => re.test(e.message));
  expect(hit, `no problem matching ${re} in:\n${err.describe()}`).toBeDefined();
  return hit!;
}

describe('paths that leave the project are refused where they are written', () => {
  it('local: ../outside', async () => {
    const dir = copyExample();
    const out = outsideFolder();
    patch(dir, 'tfaml.yml', 'local: data/flowers', `local: ${path.relative(dir, out)}`);
    const e = problem(await refusal(dir), /data\[0\]\.local .* leaves the project folder/);
    expect(e.location).toMatchObject({ file: 'tfaml.yml', line: 13 });
  });

  it('a data folder that is a symbolic link (even to a folder inside)', async () => {
    const dir = copyExample();
    renameSync(path.join(dir, 'data/flowers'), path.join(dir, 'data/real-flowers'));
    symlinkSync(path.join(dir, 'data/real-flowers'), path.join(dir, 'data/flowers'));
    const e = problem(await refusal(dir), /data\[0\]\.local "data\/flowers" is a symbolic link/);
    expect(e.location).toMatchObject({ file: 'tfaml.yml', line: 13 });
  });

  it('a data folder reached through a linked parent that points outside', async () => {
    const dir = copyExample();
    const out = outsideFolder();
    mkdirSync(path.join(out, 'flowers'));
    symlinkSync(out, path.join(dir, 'elsewhere'));
    patch(dir, 'tfaml.yml', 'local: data/flowers', 'local: elsewhere/flowers');
    const e = problem(await refusal(dir), /leads outside the project folder through a symbolic link/);
    expect(e.location).toMatchObject({ file: 'tfaml.yml', line: 13 });
  });

  it('conda_file: ../../../x.yml', async () => {
    const dir = copyExample();
    patch(dir, 'azureml/environments/tf-gpu.yml', 'conda_file: conda.yml', 'conda_file: ../../../x.yml');
    const e = problem(await refusal(dir), /conda_file "\.\.\/\.\.\/\.\.\/x\.yml" leaves the project folder/);
    expect(e.location).toMatchObject({ file: 'azureml/environments/tf-gpu.yml', line: 6 });
  });

  it('a conda file that is a link to a file outside', async () => {
    const dir = copyExample();
    const out = outsideFolder();
    symlinkSync(path.join(out, 'x.yml'), path.join(dir, 'azureml/environments/linked.yml'));
    patch(dir, 'azureml/environments/tf-gpu.yml', 'conda_file: conda.yml', 'conda_file: linked.yml');
    const e = problem(await refusal(dir), /conda_file "linked\.yml" leads outside the project folder/);
    expect(e.location).toMatchObject({ file: 'azureml/environments/tf-gpu.yml', line: 6 });
  });

  it('a committed .tfaml that is a link', async () => {
    const dir = copyExample();
    const out = outsideFolder();
    symlinkSync(out, path.join(dir, '.tfaml'));
    const e = problem(await refusal(dir), /the cache folder "\.tfaml" is a symbolic link/);
    expect(e.location?.file).toBe('tfaml.yml');
  });

  it('a folder model.hub outside the project', async () => {
    const dir = copyExample();
    const out = outsideFolder();
    patch(dir, 'tfaml.yml', /hub: https:\/\/tfhub\.dev\S+/, `hub: ${path.relative(dir, out)}`);
    const e = problem(await refusal(dir), /model\.hub .* leaves the project folder/);
    expect(e.location).toMatchObject({ file: 'tfaml.yml', line: 28 });
  });

  it('an asset path: ../x.yml', async () => {
    const dir = copyExample();
    patch(dir, 'tfaml.yml', /path: azureml\/compute\/gpu-cluster\.yml/, 'path: ../gpu-cluster.yml');
    problem(await refusal(dir), /compute\[0\]\.path "\.\.\/gpu-cluster\.yml" leaves the project folder/);
  });
});

describe('what train would upload', () => {
  it("a job's code: ../.. is refused at its line", async () => {
    const dir = copyExample();
    patch(dir, 'azureml/jobs/train.yml', /^code: .*$/m, 'code: ../../..');
    const e = problem(await refusal(dir), /code "\.\.\/\.\.\/\.\." leaves the project folder/);
    expect(e.location).toMatchObject({ file: 'azureml/jobs/train.yml' });
  });

  it('the upload leaves out .git and what .amlignore (else .gitignore) excludes; links are not followed', () => {
    const dir = tempDir('tfaml-code-');
    mkdirSync(path.join(dir, '.git', 'objects'), { recursive: true });
    writeFileSync(path.join(dir, '.git', 'config'), '[core]');
    mkdirSync(path.join(dir, 'src'));
    writeFileSync(path.join(dir, 'src', 'train.py'), 'print(1)');
    writeFileSync(path.join(dir, '.env'), 'SECRET=1');
    mkdirSync(path.join(dir, '__pycache__'));
    writeFileSync(path.join(dir, '__pycache__', 'x.pyc'), '');
    writeFileSync(path.join(dir, '.gitignore'), '.env\n__pycache__/\n');
    const git = uploadFilter(dir);
    expect(git.rulesFrom).toBe('.gitignore');
    const kept = (f: ReturnType<typeof uploadFilter>) =>
      ['.git/', '.git/config', 'src/', 'src/train.py', '.env', '__pycache__/', '.gitignore'].filter(f.include);
    expect(kept(git)).toEqual(['src/', 'src/train.py', '.gitignore']);
    // .amlignore wins over .gitignore, as in the Azure ML CLI.
    writeFileSync(path.join(dir, '.amlignore'), 'src/\n');
    const aml = uploadFilter(dir);
    expect(aml.rulesFrom).toBe('.amlignore');
    expect(kept(aml)).toEqual(['.env', '__pycache__/', '.gitignore']);
  });
});

describe('where train writes', () => {
  it('--out outside the project is refused before anything is read or written', async () => {
    const dir = copyExample();
    const elsewhere = path.join(tempDir('tfaml-out-'), 'model');
    const p = train(inputs({ config: path.join(dir, 'tfaml.yml'), out: elsewhere }), capture());
    await expect(p).rejects.toThrow(ConfigurationError);
    await expect(p).rejects.toThrow(/the out input \(--out\) ".*" leaves the project folder/);
    expect(existsSync(elsewhere)).toBe(false);
  });
});
