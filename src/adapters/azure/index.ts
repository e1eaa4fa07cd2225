/**
 * The Azure adapter's front door: everything else in tfaml reaches Azure through these functions, lazily imported
 * (`await import('../adapters/azure/index.js')`) so that a run without a workspace never loads @azure/*.
 */
import { ConfigurationError } from '../../errors.js';
import type { WorkspaceRef } from '../../config/types.js';
import { createCredential, readAzureSettings, type AzureSettings, type CredentialDeps } from './auth.js';
import { armClient, AzureWorkspace, type RetryOptions } from './workspace.js';

export { AzureWorkspace } from './workspace.js';
export { readAzureSettings, createCredential, AUTH_MODES } from './auth.js';

export interface OpenOptions {
  /** The auth input (auto | oidc | client-secret | managed-identity | azure-login); default TFAML_AUTH or auto. */
  auth?: string;
  env?: NodeJS.ProcessEnv;
  retry?: RetryOptions;
  deps?: CredentialDeps;
  settings?: AzureSettings;
}

export function openWorkspace(ref: WorkspaceRef, opts: OpenOptions = {}): AzureWorkspace {
  const env = opts.env ?? process.env;
  const s = opts.settings ?? readAzureSettings(env, opts.auth);
  const subscriptionId = ref.subscriptionId ?? s.subscriptionId;
  if (!subscriptionId) throw new ConfigurationError('the workspace has no subscription: set workspace.subscription-id in tfaml.yml or AZURE_SUBSCRIPTION_ID');
  const credential = createCredential(s, opts.deps, env);
  const ws = new AzureWorkspace(armClient(credential, subscriptionId, s, opts.retry), subscriptionId, ref.resourceGroup, ref.name, s);
  ws.credential = credential;
  return ws;
}
