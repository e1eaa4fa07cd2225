/**
 * Hub downloads against a hostile hub or a hostile pull request (src/adapters/hub/loader.ts): https only, redirects
 * only to https, caps on what a model may weigh with nothing cached past them, weight names and lock hashes that
 * cannot leave their folder, a tampered cache entry never used, and `tfaml lock` pinning a remote model's files.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_HUB_LIMITS, hubLimits, loadHubModel, type HubLimits } from '../../src/adapters/hub/loader.js';
import { lock } from '../../src/commands/lock.js';
import { validate } from '../../src/commands/validate.js';
import { ConfigurationError } from '../../src/core/errors.js';
import { HANDLES, nsfwjsModel, startStandardHub, type HubServer } from '../fakes/hub-server.js';
import { capture, copyExample, inputs, tempDir } from '../helpers/project.js';

let hub: HubServer;
beforeAll(async () => {
  hub = await startStandardHub();
  hub.route('/moved', { redirect: `${hub.url}${HANDLES.plain}` });
  hub.route('/to-http', { redirect: `http://models.example.com${HANDLES.plain}` });
  hub.route('/to-ftp', { redirect: `ftp://models.example.com${HANDLES.plain}` });
  hub.route('/loop', { redirect: `${hub.url}/loop`, status: 301 });
  hub.route('/plain/chunked', { files: nsfwjsModel('mobilenet_v2'), chunked: true });
});
afterAll(() => hub.close());
afterEach(() => vi.unstubAllEnvs());

const TFHUB = `https://tfhub.dev${HANDLES.graph}`;
const PLAIN = () => `${hub.url}${HANDLES.plain}/model.json`;
/** The cache folder's entries, hidden staging folders included. */
const entries = (dir: string) => (existsSync(dir) ? readdirSync(dir) : []);

describe('https only', () => {
  it.each([
    { hub: 'http://models.example.com/m/model.json', why: 'it is plain http' },
    { hub: 'ftp://models.example.com/m/model.json', why: 'its scheme is ftp' },
  ])('$hub is refused before any request, naming tfaml.yml’s line', async ({ hub: h, why }) => {
    const cacheDir = tempDir('tfaml-hub-');
    const at = { file: 'tfaml.yml', line: 28, column: 8 };
    const p = loadHubModel({ hub: h, root: '/', cacheDir, at });
    await expect(p).rejects.toThrow(ConfigurationError);
    await expect(p).rejects.toThrow(`model.hub resolves to ${h}, which tfaml refuses: ${why}`);
    await expect(p).rejects.toMatchObject({ location: at });
    expect(entries(cacheDir)).toEqual([]);
  });

  it('an http mirror (TFAML_HUB_URL) is refused too; loopback http alone is allowed, for local fakes', async () => {
    const p = loadHubModel({ hub: TFHUB, root: '/', hubUrl: 'http://mirror.example', cacheDir: tempDir('tfaml-hub-') });
    await expect(p).rejects.toThrow(/which tfaml refuses: it is plain http.*an https TFAML_HUB_URL/);
    const ok = await loadHubModel({ hub: TFHUB, root: '/', hubUrl: hub.url, cacheDir: tempDir('tfaml-hub-') });
    expect(ok.format).toBe('graph');
  });
});

describe('redirects', () => {
  it('are followed by hand to where the files are', async () => {
    const m = await loadHubModel({ hub: `${hub.url}/moved/model.json`, root: '/', cacheDir: tempDir('tfaml-hub-') });
    expect(m.format).toBe('layers');
    expect(hub.requests).toContain('/moved/group1-shard1of1');
    expect(hub.requests).toContain(`${HANDLES.plain}/group1-shard1of1`);
  });

  it.each([
    { route: '/to-http', why: 'it is plain http, which anyone on the network path can rewrite' },
    { route: '/to-ftp', why: 'its scheme is ftp' },
  ])('to a non-https URL ($route) is refused, naming both URLs, with nothing cached', async ({ route, why }) => {
    const cacheDir = tempDir('tfaml-hub-');
    const target = route === '/to-http' ? 'http' : 'ftp';
    const p = loadHubModel({ hub: `${hub.url}${route}/model.json`, root: '/', cacheDir });
    await expect(p).rejects.toThrow(ConfigurationError);
    await expect(p).rejects.toThrow(
      `${hub.url}${route}/model.json redirects to ${target}://models.example.com${HANDLES.plain}/model.json, which tfaml refuses: ${why}; tfaml follows redirects only to https URLs`,
    );
    expect(entries(cacheDir)).toEqual([]);
  });

  it('stop after 5 hops', async () => {
    const p = loadHubModel({ hub: `${hub.url}/loop/model.json`, root: '/', cacheDir: tempDir('tfaml-hub-') });
    await expect(p).rejects.toThrow(`${hub.url}/loop/model.json redirected more than 5 times`);
  });
});

describe('caps', () => {
  const limits = (l: Partial<HubLimits>): HubLimits => ({ ...DEFAULT_HUB_LIMITS, ...l });

  it.each([
    {
      name: 'an oversize model.json',
      hub: PLAIN,
      limits: limits({ modelJsonBytes: 1000 }),
      message: /model\.json is larger than the cap of 1000 bytes for a model\.json .*TFAML_HUB_MAX_MODEL_JSON_BYTES=/,
    },
    {
      name: 'too many shards',
      hub: () => TFHUB,
      limits: limits({ shards: 1 }),
      message:
        /names 2 weight files, more than the cap of 1\. If this model is genuine, raise the cap: TFAML_HUB_MAX_SHARDS=2/,
    },
    {
      name: 'too many bytes (stated by Content-Length)',
      hub: PLAIN,
      limits: limits({ totalBytes: 1024 * 1024 }),
      message:
        /are larger than the cap of 1 MiB in total \(reached at .*group1-shard1of1\); nothing was cached\. .*TFAML_HUB_MAX_BYTES=/,
    },
    {
      name: 'too many bytes (counted, no Content-Length)',
      hub: () => `${hub.url}/plain/chunked/model.json`,
      limits: limits({ totalBytes: 1024 * 1024 }),
      message: /are larger than the cap of 1 MiB in total/,
    },
  ])('$name is refused, naming the cap and how to raise it, and nothing is cached', async (c) => {
    const cacheDir = tempDir('tfaml-hub-');
    const p = loadHubModel({ hub: c.hub(), root: '/', hubUrl: hub.url, cacheDir, limits: c.limits });
    await expect(p).rejects.toThrow(ConfigurationError);
    await expect(p).rejects.toThrow(c.message);
    expect(entries(cacheDir)).toEqual([]); // no entry, no staging folder
  });

  it('default to 10 MiB, 1,000 shards and 2 GiB, each raised by its environment variable', () => {
    expect(hubLimits({})).toEqual({ modelJsonBytes: 10 * 1048576, shards: 1000, totalBytes: 2 * 1073741824 });
    expect(
      hubLimits({ TFAML_HUB_MAX_MODEL_JSON_BYTES: '64MiB', TFAML_HUB_MAX_SHARDS: '5000', TFAML_HUB_MAX_BYTES: '4GiB' }),
    ).toEqual({ modelJsonBytes: 64 * 1048576, shards: 5000, totalBytes: 4 * 1073741824 });
    expect(() => hubLimits({ TFAML_HUB_MAX_BYTES: 'lots' })).toThrow(
      'TFAML_HUB_MAX_BYTES is "lots"; it must be a positive whole number of bytes, optionally with KiB, MiB or GiB (e.g. 4GiB), or unset for the default 2 GiB',
    );
    expect(() => hubLimits({ TFAML_HUB_MAX_SHARDS: '0' })).toThrow(/TFAML_HUB_MAX_SHARDS is "0"/);
  });
});

describe('names a hub or a lock cannot abuse', () => {
  it.each(['../../etc/passwd', 'https://attacker.example/shard', 'a/./b', 'model.json'])(
    'a weight file named %j is refused',
    async (name) => {
      const s = await startStandardHub();
      const json = JSON.parse(nsfwjsModel('mobilenet_v2').get('model.json')!.toString());
      json.weightsManifest[0].paths = [name];
      s.route('/plain/evil', { files: new Map([['model.json', Buffer.from(JSON.stringify(json))]]) });
      const cacheDir = tempDir('tfaml-hub-');
      try {
        await expect(loadHubModel({ hub: `${s.url}/plain/evil/model.json`, root: '/', cacheDir })).rejects.toThrow(
          `names a weight file outside its folder (${JSON.stringify(name)}); refusing to use it`,
        );
        expect(entries(cacheDir)).toEqual([]);
      } finally {
        await s.close();
      }
    },
  );

  it('a lock hash that is not a hash never becomes a cache path', async () => {
    const cacheDir = tempDir('tfaml-hub-');
    const p = loadHubModel({
      hub: TFHUB,
      root: '/',
      hubUrl: hub.url,
      cacheDir,
      locked: { hub: TFHUB, version: '3', hash: 'sha256:../../victim' },
    });
    await expect(p).rejects.toThrow(
      'tfaml.lock records the hash of ' + TFHUB + ' as "sha256:../../victim", which is not sha256:<64 hex digits>',
    );
  });
});

describe('a tampered cache entry', () => {
  async function lockedAndCached() {
    const cacheDir = tempDir('tfaml-hub-');
    const first = await loadHubModel({ hub: TFHUB, root: '/', hubUrl: hub.url, cacheDir });
    const locked = { hub: TFHUB, version: '3', hash: first.hash, files: first.files };
    const shard = path.join(first.dir, 'group1-shard2of2');
    const original = readFileSync(shard);
    const bad = Buffer.from(original);
    bad[100] = bad[100]! ^ 0xff;
    writeFileSync(shard, bad);
    return { cacheDir, first, locked, shard, original };
  }

  it('is hashed against the lock, discarded and downloaded again', async () => {
    const { cacheDir, first, locked, shard, original } = await lockedAndCached();
    const out = capture();
    const before = hub.requests.length;
    const again = await loadHubModel({ hub: TFHUB, root: '/', hubUrl: hub.url, cacheDir, locked, log: out.log });
    expect(again.fromCache).toBe(false);
    expect(again.dir).toBe(first.dir);
    expect(hub.requests.length).toBeGreaterThan(before);
    expect(readFileSync(shard).equals(original)).toBe(true);
    expect(out.logs.join('\n')).toMatch(
      /warning: the cached copy of .* does not match tfaml\.lock .*downloading it again/,
    );
    // and the repaired entry is used offline next time
    const third = await loadHubModel({ hub: TFHUB, root: '/', hubUrl: 'http://127.0.0.1:9', cacheDir, locked });
    expect(third.fromCache).toBe(true);
  });

  it('is replaced even when the load has no lock to compare with', async () => {
    const { cacheDir, first, shard, original } = await lockedAndCached();
    const m = await loadHubModel({ hub: TFHUB, root: '/', hubUrl: hub.url, cacheDir });
    expect(m.dir).toBe(first.dir);
    expect(readFileSync(shard).equals(original)).toBe(true);
  });

  it('is an error when the hub serves the tampered files too', async () => {
    const { cacheDir, locked, shard } = await lockedAndCached();
    const s = await startStandardHub();
    const files = nsfwjsModel('mobilenet_v2_mid');
    files.set('group1-shard2of2', readFileSync(shard));
    s.route(HANDLES.graph, { files });
    try {
      const p = loadHubModel({ hub: TFHUB, root: '/', hubUrl: s.url, cacheDir, locked });
      await expect(p).rejects.toThrow(
        /^model\/hash-mismatch: the model files of .* differ from tfaml\.lock: group1-shard2of2 is/,
      );
      expect(entries(cacheDir)).toEqual([]); // the bad entry is gone and nothing took its place
    } finally {
      await s.close();
    }
  });
});

describe('tfaml lock', () => {
  /** The example project with its model entry locked by handle alone, as `lock` wrote it before it hashed files. */
  function handleOnlyProject(): string {
    const dir = copyExample();
    const file = path.join(dir, 'tfaml.lock');
    const l = JSON.parse(readFileSync(file, 'utf8'));
    l.models['flowers-classifier'] = { hub: l.models['flowers-classifier'].hub, version: '3' };
    writeFileSync(file, JSON.stringify(l, null, 2));
    return dir;
  }

  it('records the file hashes of a remote model from the hub, and validate is then clean', async () => {
    const dir = handleOnlyProject();
    vi.stubEnv('TFAML_HUB_URL', hub.url);
    vi.stubEnv('TFAML_CACHE_DIR', tempDir('tfaml-cache-'));
    const before = hub.requests.length;
    const out = capture();
    expect(await lock(inputs({ config: path.join(dir, 'tfaml.yml') }), out)).toBe(0);
    expect(hub.requests.slice(before)).toContain(`${HANDLES.graph}/model.json?tfjs-format=file`);
    const entry = JSON.parse(readFileSync(path.join(dir, 'tfaml.lock'), 'utf8')).models['flowers-classifier'];
    const expected = await loadHubModel({ hub: TFHUB, root: '/', hubUrl: hub.url, cacheDir: tempDir('tfaml-hub-') });
    expect(entry).toEqual({ hub: TFHUB, version: '3', hash: expected.hash, files: expected.files });

    // A second lock neither downloads nor changes anything.
    const again = hub.requests.length;
    const out2 = capture();
    expect(await lock(inputs({ config: path.join(dir, 'tfaml.yml') }), out2)).toBe(0);
    expect(out2.stdout).toMatch(/^tfaml\.lock unchanged/);
    expect(hub.requests.length).toBe(again);

    const v = capture('action');
    await validate(inputs({ config: path.join(dir, 'tfaml.yml'), format: 'json' }), v);
    expect(JSON.parse(v.stdout).findings).toEqual([]);
  });

  it('refuses an http hub by tfaml.yml’s line, and writes nothing', async () => {
    const dir = handleOnlyProject();
    const yml = path.join(dir, 'tfaml.yml');
    writeFileSync(yml, readFileSync(yml, 'utf8').replace(TFHUB, 'http://models.example.com/m/model.json'));
    const before = readFileSync(path.join(dir, 'tfaml.lock'), 'utf8');
    vi.stubEnv('TFAML_CACHE_DIR', tempDir('tfaml-cache-'));
    const p = lock(inputs({ config: yml }), capture());
    await expect(p).rejects.toThrow(/model\.hub resolves to http:\/\/models\.example\.com\/m\/model\.json/);
    await expect(p).rejects.toMatchObject({ location: { file: 'tfaml.yml', line: 28 } });
    expect(readFileSync(path.join(dir, 'tfaml.lock'), 'utf8')).toBe(before);
  });

  it('validate reports a remote model locked without its file hashes', async () => {
    const dir = handleOnlyProject();
    const v = capture('action');
    await validate(inputs({ config: path.join(dir, 'tfaml.yml'), format: 'json' }), v);
    const findings = JSON.parse(v.stdout).findings as { rule: string; file: string; line: number; message: string }[];
    expect(findings).toEqual([
      expect.objectContaining({
        rule: 'lock/missing-entry',
        file: 'tfaml.yml',
        line: 28,
        message: expect.stringMatching(
          /^tfaml\.lock records model "flowers-classifier" without the sha256 of its files, so nothing checks what the hub serves; run `tfaml lock`/,
        ),
      }),
    ]);
  });
});
