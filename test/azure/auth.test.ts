import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAzureSettings, resolveAuthMode } from '../../src/adapters/azure/auth.js';
import { gitHubRunner } from '../../src/adapters/github/runner.js';
import { ConfigurationError } from '../../src/core/errors.js';
import { installRunner } from '../../src/core/runner.js';
import { startFakeArm, type FakeArm } from '../fakes/arm/server.js';
import { fakeEnv, workspaceFor } from './helpers.js';

let fake: FakeArm;
beforeAll(async () => {
  fake = await startFakeArm();
});
afterAll(() => fake.close());

describe('credentials against a non-public authority (disableInstanceDiscovery)', () => {
  it('client secret: gets a token and reads the workspace', async () => {
    const ws = workspaceFor(fake);
    const info = await ws.check();
    expect(info.id).toBe(fake.workspaceId);
    expect(fake.clientSecretsSeen).toContain('tfaml-secret');
  });

  it('a wrong client secret says which variables to check', async () => {
    const ws = workspaceFor(fake, { env: fakeEnv(fake, { AZURE_CLIENT_SECRET: 'wrong' }) });
    await expect(ws.check()).rejects.toThrow(
      /could not get an Azure token with auth client-secret.*AZURE_CLIENT_SECRET/s,
    );
  });

  it('an authority that cannot be reached is named, not blamed on the secret', async () => {
    const ws = workspaceFor(fake, {
      env: fakeEnv(fake, { AZURE_AUTHORITY_HOST: 'https://127.0.0.1:9' }),
      retry: { retryDelayInMs: 5, maxRetries: 0 },
    });
    const p = ws.check();
    await expect(p).rejects.toThrow(
      /could not get an Azure token with auth client-secret .*the authority https:\/\/127\.0\.0\.1:9 could not be reached: check AZURE_AUTHORITY_HOST, the network, and NODE_EXTRA_CA_CERTS/s,
    );
    await expect(p).rejects.not.toThrow(/AZURE_CLIENT_SECRET/);
  });

  it('OIDC: asks GitHub for a fresh assertion every time a token is needed', async () => {
    // Tokens that live 60 s are inside MSAL's 5-minute refresh window, so every request needs a new one.
    const short = await startFakeArm({ tokenSeconds: 60 });
    try {
      const env = fakeEnv(short, {
        AZURE_CLIENT_SECRET: '',
        ACTIONS_ID_TOKEN_REQUEST_URL: `${short.url}/_github/oidc?api-version=2.0`,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'gh-runtime-token',
      });
      const saved = {
        url: process.env.ACTIONS_ID_TOKEN_REQUEST_URL,
        token: process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN,
      };
      // core.getIDToken reads these from process.env.
      process.env.ACTIONS_ID_TOKEN_REQUEST_URL = env.ACTIONS_ID_TOKEN_REQUEST_URL;
      process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
      installRunner(gitHubRunner());
      try {
        const ws = workspaceFor(short, { auth: 'auto', env });
        await ws.check();
        await ws.getEnvironment('tf-gpu', '1');
        await ws.getCompute('gpu-cluster');
      } finally {
        process.env.ACTIONS_ID_TOKEN_REQUEST_URL = saved.url;
        process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = saved.token;
        if (saved.url === undefined) delete process.env.ACTIONS_ID_TOKEN_REQUEST_URL;
        if (saved.token === undefined) delete process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
        installRunner({ mask: () => {} });
      }
      expect(short.oidcIssued.length).toBeGreaterThanOrEqual(2);
      // The callback asked GitHub again for each token (MSAL may still answer one from its cache); none was reused.
      for (const a of short.assertionsSeen) expect(short.oidcIssued).toContain(a);
      expect(short.oidcIssued[0]).toContain('api://AzureADTokenExchange');
      // Every assertion the authority saw was a distinct, freshly issued one.
      expect(new Set(short.assertionsSeen).size).toBe(short.assertionsSeen.length);
      expect(short.clientSecretsSeen).toEqual([]);
    } finally {
      await short.close();
    }
  });

  it('OIDC without id-token permission says how to grant it', async () => {
    const env = fakeEnv(fake, { AZURE_CLIENT_SECRET: '' });
    expect(() => workspaceFor(fake, { auth: 'oidc', env })).toThrow(/id-token: write/);
  });

  it('managed identity (App Service endpoint)', async () => {
    const env = fakeEnv(fake, {
      AZURE_CLIENT_SECRET: '',
      IDENTITY_ENDPOINT: `${fake.url}/_msi/token`,
      IDENTITY_HEADER: 'tfaml-msi',
    });
    const saved = { e: process.env.IDENTITY_ENDPOINT, h: process.env.IDENTITY_HEADER };
    process.env.IDENTITY_ENDPOINT = env.IDENTITY_ENDPOINT;
    process.env.IDENTITY_HEADER = env.IDENTITY_HEADER;
    try {
      const ws = workspaceFor(fake, { auth: 'managed-identity', env: { ...env, AZURE_CLIENT_ID: '' } });
      expect((await ws.check()).id).toBe(fake.workspaceId);
    } finally {
      if (saved.e === undefined) delete process.env.IDENTITY_ENDPOINT;
      else process.env.IDENTITY_ENDPOINT = saved.e;
      if (saved.h === undefined) delete process.env.IDENTITY_HEADER;
      else process.env.IDENTITY_HEADER = saved.h;
    }
    expect(fake.requests.some((r) => r.path === '/_msi/token' && r.status === 200)).toBe(true);
  });

  it('auto picks client secret, then OIDC, then the azure/login credential', () => {
    const base = { AZURE_TENANT_ID: 't', AZURE_CLIENT_ID: 'c' };
    expect(resolveAuthMode(readAzureSettings({ ...base, AZURE_CLIENT_SECRET: 's' }), {})).toBe('client-secret');
    expect(resolveAuthMode(readAzureSettings(base), { ACTIONS_ID_TOKEN_REQUEST_URL: 'https://x' })).toBe('oidc');
    expect(resolveAuthMode(readAzureSettings(base), {})).toBe('azure-login');
  });

  it('rejects an unknown auth mode and an http ARM endpoint', () => {
    expect(() => readAzureSettings({}, 'password')).toThrow(
      /auth is "password"; it must be one of auto, oidc, client-secret, managed-identity, azure-login/,
    );
    expect(() => readAzureSettings({ TFAML_ARM_ENDPOINT: 'http://127.0.0.1:1' })).toThrow(ConfigurationError);
  });

  it("masks the client secret when read and every access token when issued (through the runner's mask)", async () => {
    const masked: string[] = [];
    installRunner({ mask: (secret) => void masked.push(secret) });
    try {
      const ws = workspaceFor(fake, { env: fakeEnv(fake, { AZURE_CLIENT_SECRET: 'tfaml-secret' }) });
      await ws.check();
    } finally {
      installRunner({ mask: () => {} });
    }
    expect(masked).toContain('tfaml-secret');
    expect(masked.some((w) => /^fake-token-/.test(w))).toBe(true);
  });
});
