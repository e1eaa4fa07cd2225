import { StorageSharedKeyCredential } from '@azure/storage-blob';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ContainerUploader } from '../../src/adapters/azure/blob.js';
import { RegistryConflictError } from '../../src/core/errors.js';
import { ConfigurationError, ServiceUnavailableError } from '../../src/core/errors.js';
import { startFakeArm, type FakeArm } from '../fakes/arm/server.js';
import { workspaceFor } from './helpers.js';

let fake: FakeArm;
beforeAll(async () => {
  fake = await startFakeArm();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.faults.length = 0;
  fake.denied.length = 0;
});

describe('errors a user can act on', () => {
  it('404: names the workspace, resource group or subscription that does not exist', async () => {
    await expect(workspaceFor(fake, { name: 'mlw-typo' }).check()).rejects.toThrow(
      /workspace mlw-typo was not found in resource group rg-ml-dev .*check the name in tfaml.yml/,
    );
    await expect(workspaceFor(fake, { resourceGroup: 'rg-typo' }).check()).rejects.toThrow(
      /resource group rg-typo was not found in subscription .*workspace.resource-group/,
    );
    await expect(
      workspaceFor(fake, { subscriptionId: '99999999-0000-0000-0000-000000000000' }).check(),
    ).rejects.toThrow(/subscription 99999999-0000-0000-0000-000000000000 was not found.*subscription-id/);
    // A missing workspace is not mistaken for a missing asset.
    await expect(workspaceFor(fake, { name: 'mlw-typo' }).getEnvironment('tf-gpu', '1')).rejects.toThrow(
      ConfigurationError,
    );
  });

  it('403: names the role to grant', async () => {
    fake.denied.push(/\/jobs\//);
    await expect(workspaceFor(fake).getJob('x')).rejects.toThrow(
      /not allowed \(AuthorizationFailed: .*grant it the role "Reader" \(or "AzureML Data Scientist"\)/,
    );
  });

  it('401 on an expired token says to sign in again', async () => {
    const ws = workspaceFor(fake);
    await ws.check();
    fake.expireTokens();
    await expect(ws.check()).rejects.toThrow(
      /Azure refused the credential \(ExpiredAuthenticationToken.*expired or wrong/,
    );
  });
});

describe('environment versions', () => {
  it('get/list/create: follows nextLink, idempotent for the same content, 409 for other content', async () => {
    const ws = workspaceFor(fake);
    expect(await ws.getEnvironment('tf-gpu', '1')).toBeUndefined();
    for (const v of ['1', '2', '3'])
      await ws.createEnvironment({
        name: 'tf-gpu',
        version: v,
        image: `img@sha256:${v}`,
        condaFile: 'dependencies: [python=3.10.14]\n',
      });
    const listed = await ws.listEnvironmentVersions('tf-gpu');
    expect(listed.map((e) => e.version).sort()).toEqual(['1', '2', '3']); // 3 items, page size 2: two pages
    expect(fake.armRequests().some((r) => r.query.get('$skip') === '2')).toBe(true);
    const again = await ws.createEnvironment({
      name: 'tf-gpu',
      version: '1',
      image: 'img@sha256:1',
      condaFile: 'dependencies: [python=3.10.14]\n',
    });
    expect(again.image).toBe('img@sha256:1');
    const p = ws.createEnvironment({ name: 'tf-gpu', version: '1', image: 'img@sha256:other' });
    await expect(p).rejects.toThrow(RegistryConflictError);
    await expect(p).rejects.toThrow(
      /already has environment tf-gpu:1 with different content \(Environment tf-gpu with version 1 is already registered and cannot be changed.\)/,
    );
    // The version kept its first content.
    expect((await ws.getEnvironment('tf-gpu', '1'))?.image).toBe('img@sha256:1');
  });
});

describe('faults', () => {
  it('429 with Retry-After is waited out, then the call succeeds (once)', async () => {
    const ws = workspaceFor(fake);
    await ws.check();
    fake.faults.push({
      path: /\/data\/flowers\/versions\/4$/,
      method: 'PUT',
      kind: 'status',
      status: 429,
      retryAfter: 1,
    });
    const started = Date.now();
    await ws.createData({
      name: 'flowers',
      version: '4',
      dataType: 'uri_folder',
      dataUri: 'azureml://datastores/workspaceblobstore/paths/flowers/v4/',
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    const puts = fake.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/data/flowers/versions/4'));
    expect(puts.map((r) => r.status)).toEqual([429, 201]);
    expect(fake.versions('data', 'flowers').size).toBe(1);
  });

  it('500 and a reset connection are retried with backoff; nothing is created twice', async () => {
    const ws = workspaceFor(fake);
    fake.faults.push({ path: /\/data\/roses\/versions\/1$/, method: 'PUT', kind: 'status', status: 500, times: 1 });
    fake.faults.push({ path: /\/data\/roses\/versions\/1$/, method: 'PUT', kind: 'reset', times: 1 });
    const d = await ws.createData({
      name: 'roses',
      version: '1',
      dataType: 'uri_folder',
      dataUri: 'azureml://datastores/workspaceblobstore/paths/roses/',
    });
    expect(d.dataUri).toContain('roses');
    const puts = fake.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/data/roses/versions/1'));
    expect(puts.map((r) => r.status)).toEqual([500, -1, 201]);
    for (let i = 1; i < puts.length; i++) expect(puts[i]!.at - puts[i - 1]!.at).toBeGreaterThan(0);
    expect(fake.versions('data', 'roses').size).toBe(1);
  });

  it('a persistent 500 fails with the service message after the retries', async () => {
    const ws = workspaceFor(fake, { retry: { retryDelayInMs: 5, maxRetries: 2 } });
    fake.faults.push({ path: /\/computes\/gpu$/, kind: 'status', status: 500, times: 10 });
    const p = ws.getCompute('gpu');
    await expect(p).rejects.toThrow(ServiceUnavailableError);
    await expect(p).rejects.toThrow(
      /reading compute gpu in workspace mlw-dev \(resource group rg-ml-dev\): Azure answered 500 InternalServerError \(injected 500\) and kept doing so after retries; the service is having trouble, not your files: run again later/,
    );
    expect(fake.requests.filter((r) => r.path.endsWith('/computes/gpu')).length).toBe(3);
  });

  it('a slow answer is waited for', async () => {
    const ws = workspaceFor(fake);
    fake.faults.push({ path: /\/computes\/slow$/, kind: 'slow', delayMs: 300 });
    fake.addCompute('slow', { minNodeCount: 0, maxNodeCount: 2, nodeIdleTimeBeforeScaleDown: 'PT2M' });
    expect((await ws.getCompute('slow'))?.idleSeconds).toBe(120);
  });
});

describe('other reads', () => {
  it('compute, datastore and its key, online deployments', async () => {
    const ws = workspaceFor(fake);
    fake.addCompute('always-on', { minNodeCount: 1, maxNodeCount: 4, nodeIdleTimeBeforeScaleDown: 'PT1H' });
    expect(await ws.getCompute('always-on')).toEqual({
      name: 'always-on',
      computeType: 'AmlCompute',
      vmSize: 'STANDARD_NC6S_V3',
      minNodes: 1,
      maxNodes: 4,
      idleSeconds: 3600,
    });
    expect(await ws.getCompute('nope')).toBeUndefined();
    const ds = await ws.defaultDatastore();
    expect(ds).toMatchObject({
      name: 'workspaceblobstore',
      accountName: 'devstoreaccount1',
      containerName: 'azureml-blobstore-test',
      blobUrl: 'https://devstoreaccount1.blob.core.windows.net',
    });
    expect(await ws.datastoreKey('workspaceblobstore')).toBe(fake.datastoreKey);
    fake.addEndpoint('flowers', [
      { name: 'blue', instanceType: 'Standard_DS3_v2', instanceCount: 2 },
      { name: 'green', instanceType: 'Standard_DS3_v2', instanceCount: 1 },
    ]);
    fake.addEndpoint('other', [{ name: 'x', instanceType: 'Standard_F2s_v2', instanceCount: 1 }]);
    fake.addEndpoint('third', []);
    const deps = await ws.listOnlineDeployments();
    expect(deps).toEqual([
      { endpoint: 'flowers', name: 'blue', instanceType: 'Standard_DS3_v2', instanceCount: 2 },
      { endpoint: 'flowers', name: 'green', instanceType: 'Standard_DS3_v2', instanceCount: 1 },
      { endpoint: 'other', name: 'x', instanceType: 'Standard_F2s_v2', instanceCount: 1 },
    ]);
  });
});

describe('an identity-based default datastore', () => {
  afterEach(() => {
    fake.datastoreCredentials = 'AccountKey';
  });
  const listSecrets = () => fake.armRequests().filter((q) => q.path.endsWith('/listSecrets'));

  it('credentialsType None: no listSecrets, no key, and the uploader uses the signed-in identity', async () => {
    fake.datastoreCredentials = 'None';
    fake.requests.length = 0;
    const ws = workspaceFor(fake);
    const ds = await ws.defaultDatastore();
    expect(await ws.datastoreKey(ds.name)).toBeUndefined();
    expect(listSecrets()).toEqual([]);
    const up = (await ws.datastoreUploader(ds)) as ContainerUploader;
    expect(up.container.credential).not.toBeInstanceOf(StorageSharedKeyCredential);
  });

  it('listSecrets answering 400 or 404 (no secrets) takes the identity path instead of failing', async () => {
    const lines: string[] = [];
    for (const status of [400, 404]) {
      fake.faults.push({
        method: 'POST',
        path: /\/listSecrets$/,
        kind: 'status',
        status,
        body: { error: { code: 'UserError', message: 'The datastore has no secrets.' } },
      });
      const ws = workspaceFor(fake);
      ws.log = { info: (m) => void lines.push(m) };
      // The type was not read first (no defaultDatastore), so listSecrets is asked and its answer decides.
      expect(await ws.datastoreKey('workspaceblobstore')).toBeUndefined();
    }
    expect(lines).toEqual([
      'datastore workspaceblobstore has no secrets to list (400 UserError); reading and writing its blobs with the signed-in identity',
      'datastore workspaceblobstore has no secrets to list (404 UserError); reading and writing its blobs with the signed-in identity',
    ]);
    // The fake itself answers 400 for an identity-based datastore.
    fake.datastoreCredentials = 'None';
    expect(await workspaceFor(fake).datastoreKey('workspaceblobstore')).toBeUndefined();
  });

  it('a missing role on listSecrets (403) is still an error that names the role', async () => {
    fake.denied.push(/\/listSecrets$/);
    await expect(workspaceFor(fake).datastoreKey('workspaceblobstore')).rejects.toThrow(/not allowed/);
  });
});
