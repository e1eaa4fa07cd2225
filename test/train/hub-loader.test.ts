/** The hub loader against the local hub server: every source, the lock checks, the cache, and the failures. */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadHubModel } from '../../src/adapters/hub/loader.js';
import { ConfigurationError } from '../../src/core/errors.js';
import { HANDLES, nsfwjsModel, startHubServer, startStandardHub, type HubServer } from '../fakes/hub-server.js';
import { tempDir } from '../helpers/project.js';

let hub: HubServer;
/** A port on which nothing listens (a server's, after it closed). */
let closedPort = 0;
beforeAll(async () => {
  const s = await startHubServer();
  closedPort = Number(new URL(s.url).port);
  await s.close();
  hub = await startStandardHub();
  hub.route('/html/model', { html: true });
  hub.route('/gone/model', { status: 404 });
});
afterAll(() => hub.close());

const TFHUB = `https://tfhub.dev${HANDLES.graph}`;

describe('loadHubModel', () => {
  it('downloads a tfhub.dev handle by the ?tfjs-format=file convention into a cache keyed by hash', async () => {
    const cacheDir = tempDir('tfaml-hub-');
    const m = await loadHubModel({ hub: TFHUB, root: '/', hubUrl: hub.url, cacheDir });
    expect(m.format).toBe('graph');
    expect(Object.keys(m.files).sort()).toEqual(['group1-shard1of2', 'group1-shard2of2', 'model.json']);
    expect(m.dir).toBe(path.join(cacheDir, m.hash.replace('sha256:', '')));
    expect(hub.requests).toContain(`${HANDLES.graph}/model.json?tfjs-format=file`);
    expect(hub.requests).toContain(`${HANDLES.graph}/group1-shard2of2?tfjs-format=file`);
    expect(readdirSync(cacheDir)).toEqual([m.hash.replace('sha256:', '')]); // no staging folder left
  });

  it('reuses a locked model from the cache without the network', async () => {
    const cacheDir = tempDir('tfaml-hub-');
    const first = await loadHubModel({ hub: TFHUB, root: '/', hubUrl: hub.url, cacheDir });
    const locked = { hub: TFHUB, version: '3', hash: first.hash, files: first.files };
    const offline = await loadHubModel({
      hub: TFHUB,
      root: '/',
      hubUrl: `http://127.0.0.1:${closedPort}`,
      cacheDir,
      locked,
    });
    expect(offline.fromCache).toBe(true);
    expect(offline.dir).toBe(first.dir);
  });

  it('Kaggle URLs, Kaggle handles and plain model.json URLs go through the same loader', async () => {
    const cacheDir = tempDir('tfaml-hub-');
    const k = await loadHubModel({
      hub: 'https://www.kaggle.com/models/google/mobilenet-v2/tfJs/140-224-feature-vector/3',
      root: '/',
      hubUrl: hub.url,
      cacheDir,
    });
    const k2 = await loadHubModel({
      hub: 'google/mobilenet-v2/tfJs/140-224-feature-vector/3',
      root: '/',
      hubUrl: hub.url,
      cacheDir,
    });
    const p = await loadHubModel({ hub: `${hub.url}${HANDLES.plain}/model.json`, root: '/', cacheDir });
    expect(k.hash).toBe(k2.hash);
    expect(k.format).toBe('graph');
    expect(p.format).toBe('layers');
    expect(p.files['group1-shard1of1']).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('a local folder is hashed in place, with the same hash as the download of the same files', async () => {
    const root = tempDir('tfaml-proj-');
    mkdirSync(path.join(root, 'models/base'), { recursive: true });
    for (const [name, b] of nsfwjsModel('mobilenet_v2_mid')) writeFileSync(path.join(root, 'models/base', name), b);
    const local = await loadHubModel({ hub: './models/base', root });
    const remote = await loadHubModel({ hub: TFHUB, root: '/', hubUrl: hub.url, cacheDir: tempDir('tfaml-hub-') });
    expect(local.dir).toBe(path.join(root, 'models/base'));
    expect(local.hash).toBe(remote.hash);
  });

  it('a local folder is read within the same caps as a download', async () => {
    const root = tempDir('tfaml-proj-');
    mkdirSync(path.join(root, 'models/base'), { recursive: true });
    for (const [name, b] of nsfwjsModel('mobilenet_v2_mid')) writeFileSync(path.join(root, 'models/base', name), b);
    const limits = { modelJsonBytes: 10 * 1048576, shards: 1000, totalBytes: 1048576 };
    await expect(loadHubModel({ hub: './models/base', root, limits })).rejects.toThrow(
      /^the model files of \.\/models\/base are larger than the cap of 1 MiB in total \(reached at \.\/models\/base\/group1-shard1of2\)\. If this model is genuine, raise the cap: TFAML_HUB_MAX_BYTES=/,
    );
  });

  it('a locked cache entry missing a shard is downloaded again, not trusted', async () => {
    const cacheDir = tempDir('tfaml-hub-');
    const first = await loadHubModel({ hub: TFHUB, root: '/', hubUrl: hub.url, cacheDir });
    const locked = { hub: TFHUB, version: '3', hash: first.hash, files: first.files };
    rmSync(path.join(first.dir, 'group1-shard1of2'));
    const again = await loadHubModel({ hub: TFHUB, root: '/', hubUrl: hub.url, cacheDir, locked });
    expect(again.fromCache).toBe(false);
    expect(existsSync(path.join(first.dir, 'group1-shard1of2'))).toBe(true);
    expect(readdirSync(cacheDir)).toEqual([first.hash.replace('sha256:', '')]);
  });

  it('model/hash-mismatch names each file that differs from tfaml.lock, and nothing is cached', async () => {
    const cacheDir = tempDir('tfaml-hub-');
    const good = await loadHubModel({ hub: TFHUB, root: '/', hubUrl: hub.url, cacheDir: tempDir('tfaml-hub-') });
    const locked = {
      hub: TFHUB,
      version: '3',
      hash: `sha256:${'0'.repeat(64)}`,
      files: { ...good.files, 'group1-shard2of2': `sha256:${'1'.repeat(64)}` },
    };
    const p = loadHubModel({ hub: TFHUB, root: '/', hubUrl: hub.url, cacheDir, locked });
    await expect(p).rejects.toThrow(ConfigurationError);
    await expect(p).rejects.toThrow(
      `model/hash-mismatch: the model files of ${TFHUB} differ from tfaml.lock: group1-shard2of2 is ${good.files['group1-shard2of2']}, tfaml.lock has sha256:${'1'.repeat(64)}`,
    );
    expect(existsSync(cacheDir) ? readdirSync(cacheDir) : []).toEqual([]);
  });

  it('a version other than the locked one is refused', async () => {
    const p = loadHubModel({
      hub: TFHUB,
      root: '/',
      hubUrl: hub.url,
      cacheDir: tempDir('tfaml-hub-'),
      locked: { hub: TFHUB, version: '2' },
    });
    await expect(p).rejects.toThrow('model.hub is version 3 but tfaml.lock records version 2; run `tfaml lock`');
  });

  it.each([
    {
      name: 'HTML instead of a model',
      url: () => `${hub.url}/html/model/model.json`,
      message: /returned HTML, not model files \(a login page, a proxy or a model page\?\)/,
    },
    {
      name: 'a 404',
      url: () => `${hub.url}/gone/model/model.json`,
      message: /answered HTTP 404 Not Found; check that model.hub names a published tfjs model and version/,
    },
    {
      name: 'a hub that does not answer',
      url: () => `http://127.0.0.1:${closedPort}/m/model.json`,
      message:
        /^cannot download http:\/\/127\.0\.0\.1:\d+\/m\/model\.json: ECONNREFUSED; check model\.hub and the network/,
    },
  ])('$name is a ConfigurationError that says what to check', async ({ url, message }) => {
    const p = loadHubModel({ hub: url(), root: '/', cacheDir: tempDir('tfaml-hub-') });
    await expect(p).rejects.toThrow(ConfigurationError);
    await expect(p).rejects.toThrow(message);
  });

  it('a model.json that is not a tfjs model is refused by name', async () => {
    const s = await startHubServer();
    s.route('/plain/x', { files: new Map([['model.json', Buffer.from('{"hello":1}')]]) });
    try {
      await expect(
        loadHubModel({ hub: `${s.url}/plain/x/model.json`, root: '/', cacheDir: tempDir('tfaml-hub-') }),
      ).rejects.toThrow('is JSON but not a TensorFlow.js model.json (it needs modelTopology and weightsManifest)');
    } finally {
      await s.close();
    }
  });
});
