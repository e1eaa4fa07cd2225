/**
 * Which Azure credential to use, chosen by the `auth` input (or TFAML_AUTH), following Azure's conventions.
 * Every secret and token is masked the moment it is read: the client secret when it is read from the environment,
 * each GitHub OIDC assertion when it arrives, each access token the credential hands to the pipeline.
 */
import { maskSecret as mask, runnerIdToken } from '../../core/runner.js';
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import {
  ClientAssertionCredential,
  ClientSecretCredential,
  DefaultAzureCredential,
  ManagedIdentityCredential,
} from '@azure/identity';
import { ConfigurationError, UsageError } from '../../core/errors.js';

export const AUTH_MODES = ['auto', 'oidc', 'client-secret', 'managed-identity', 'azure-login'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

/** Where Azure is and how to reach it: from the environment (and action inputs of the same meaning). */
export interface AzureSettings {
  /** auto: client secret if AZURE_CLIENT_SECRET is set, else OIDC if the workflow grants id-token: write, else azure-login. */
  auth: AuthMode;
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  /** AZURE_SUBSCRIPTION_ID, used where tfaml.yml leaves the subscription out. */
  subscriptionId?: string;
  /** TFAML_ARM_ENDPOINT (sovereign clouds, tests); default https://management.azure.com. */
  armEndpoint: string;
  /** AZURE_AUTHORITY_HOST; default the public cloud's. */
  authorityHost?: string;
  /** TFAML_MLFLOW_URI; default the workspace's own tracking URI. */
  mlflowUri?: string;
  /** TFAML_BLOB_URL; default from the datastore. */
  blobUrl?: string;
}

export function readAzureSettings(env: NodeJS.ProcessEnv = process.env, auth?: string): AzureSettings {
  const mode = (auth ?? env.TFAML_AUTH ?? 'auto').trim() || 'auto';
  if (!(AUTH_MODES as readonly string[]).includes(mode))
    throw new UsageError(`auth is ${JSON.stringify(mode)}; it must be one of ${AUTH_MODES.join(', ')}`);
  const clientSecret = env.AZURE_CLIENT_SECRET || undefined;
  mask(clientSecret);
  const armEndpoint = (env.TFAML_ARM_ENDPOINT || 'https://management.azure.com').replace(/\/+$/, '');
  if (!/^https:\/\//.test(armEndpoint))
    throw new UsageError(
      `TFAML_ARM_ENDPOINT is ${JSON.stringify(armEndpoint)}; it must be an https:// URL (Azure sends bearer tokens only over https)`,
    );
  return {
    auth: mode as AuthMode,
    tenantId: env.AZURE_TENANT_ID || undefined,
    clientId: env.AZURE_CLIENT_ID || undefined,
    clientSecret,
    subscriptionId: env.AZURE_SUBSCRIPTION_ID || undefined,
    armEndpoint,
    authorityHost: env.AZURE_AUTHORITY_HOST || undefined,
    mlflowUri: env.TFAML_MLFLOW_URI || undefined,
    blobUrl: env.TFAML_BLOB_URL || undefined,
  };
}

const PUBLIC_AUTHORITIES = [
  'login.microsoftonline.com',
  'login.microsoftonline.us',
  'login.chinacloudapi.cn',
  'login.microsoftonline.de',
  'login.windows.net',
  'login.partner.microsoftonline.cn',
];

/** MSAL asks login.microsoftonline.com for instance discovery unless told not to; for any other authority that fails. */
function authorityOptions(s: AzureSettings) {
  if (!s.authorityHost) return {};
  const host = new URL(s.authorityHost).hostname;
  return { authorityHost: s.authorityHost, disableInstanceDiscovery: !PUBLIC_AUTHORITIES.includes(host) };
}

/** The mode `auto` resolves to in this environment. */
export function resolveAuthMode(s: AzureSettings, env: NodeJS.ProcessEnv = process.env): Exclude<AuthMode, 'auto'> {
  if (s.auth !== 'auto') return s.auth;
  if (s.clientSecret) return 'client-secret';
  if (env.ACTIONS_ID_TOKEN_REQUEST_URL && s.clientId && s.tenantId) return 'oidc';
  return 'azure-login';
}

function need(s: AzureSettings, mode: string, names: ('tenantId' | 'clientId' | 'clientSecret')[]): void {
  const env = {
    tenantId: 'AZURE_TENANT_ID',
    clientId: 'AZURE_CLIENT_ID',
    clientSecret: 'AZURE_CLIENT_SECRET',
  } as const;
  const missing = names.filter((n) => !s[n]).map((n) => env[n]);
  if (missing.length) throw new ConfigurationError(`auth ${mode} needs ${missing.join(' and ')} in the environment`);
}

export interface CredentialDeps {
  /** GitHub's OIDC token for an audience (core.getIDToken). */
  getIDToken?: (audience: string) => Promise<string>;
}

export function createCredential(
  s: AzureSettings,
  deps: CredentialDeps = {},
  env: NodeJS.ProcessEnv = process.env,
): TokenCredential {
  const mode = resolveAuthMode(s, env);
  const common = authorityOptions(s);
  let cred: TokenCredential;
  switch (mode) {
    case 'client-secret':
      need(s, mode, ['tenantId', 'clientId', 'clientSecret']);
      cred = new ClientSecretCredential(s.tenantId!, s.clientId!, s.clientSecret!, common);
      break;
    case 'oidc': {
      need(s, mode, ['tenantId', 'clientId']);
      const fetchToken = deps.getIDToken ?? runnerIdToken();
      if (!fetchToken)
        throw new ConfigurationError(
          'auth oidc needs a GitHub ID token: give the workflow `permissions: id-token: write`',
        );
      // Asked afresh every time MSAL needs a token: GitHub's assertions expire after about 10 minutes, jobs run for hours.
      cred = new ClientAssertionCredential(
        s.tenantId!,
        s.clientId!,
        async () => {
          const assertion = await fetchToken('api://AzureADTokenExchange');
          mask(assertion);
          return assertion;
        },
        common,
      );
      break;
    }
    case 'managed-identity':
      cred = s.clientId
        ? new ManagedIdentityCredential({ clientId: s.clientId, ...common })
        : new ManagedIdentityCredential(common);
      break;
    case 'azure-login':
      cred = new DefaultAzureCredential({ ...common, ...(s.tenantId ? { tenantId: s.tenantId } : {}) });
      break;
  }
  return maskedCredential(cred, mode, s.authorityHost ?? 'https://login.microsoftonline.com');
}

/** Masks every access token as it is handed out, and turns authentication failures into messages a user can act on. */
function maskedCredential(inner: TokenCredential, mode: string, authority: string): TokenCredential {
  return {
    async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
      let t: AccessToken | null;
      try {
        t = await inner.getToken(scopes, options);
      } catch (err) {
        const e = err as Error;
        const first = (e.message ?? String(err)).split('\n')[0]!.slice(0, 400);
        // A network failure is not a bad secret: say where the authority is, not which variables to re-check.
        const unreachable =
          /endpoints_resolution_error|ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|socket hang up|certificate|self.signed/i.test(
            e.message ?? '',
          );
        const hint = unreachable
          ? `the authority ${authority} could not be reached: check AZURE_AUTHORITY_HOST, the network, and NODE_EXTRA_CA_CERTS for a private CA`
          : mode === 'client-secret'
            ? 'check AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (the secret value, not its id; it may have expired)'
            : mode === 'oidc'
              ? 'check AZURE_TENANT_ID and AZURE_CLIENT_ID and that the app has a federated credential for this repository and branch'
              : mode === 'managed-identity'
                ? 'check that this runner has a managed identity (and AZURE_CLIENT_ID for a user-assigned one)'
                : 'run azure/login before this step, or set auth to oidc or client-secret';
        throw new ConfigurationError(`could not get an Azure token with auth ${mode} (${e.name}: ${first}); ${hint}`);
      }
      if (t) mask(t.token);
      return t;
    },
  };
}
