/**
 * The Azure adapter's front door: everything else in tfaml reaches Azure through these functions, lazily imported
 * (`await import('../adapters/azure/index.js')`) so that a run without a workspace never loads @azure/*.
 */
import { ConfigurationError } from '../../core/errors.js';
import type { WorkspaceRef } from '../../config/types.js';
import { createCredential, readAzureSettings, type AzureSettings, type CredentialDeps } from './auth.js';
import type { RegistryOptions } from './registry.js';
import { armClient, AzureWorkspace, type RetryOptions } from './workspace.js';

export { AzureWorkspace } from './workspace.js';

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
  if (!subscriptionId)
    throw new ConfigurationError(
      'the workspace has no subscription: set workspace.subscription-id in tfaml.yml or AZURE_SUBSCRIPTION_ID',
    );
  const credential = createCredential(s, opts.deps, env);
  const ws = new AzureWorkspace(
    armClient(credential, subscriptionId, s, opts.retry),
    subscriptionId,
    ref.resourceGroup,
    ref.name,
    s,
  );
  ws.credential = credential;
  return ws;
}

/** The production (or experiment) registry tfaml.yml names, as a ModelRegistry over Azure. */
export async function openModelRegistry(
  target: { workspace: WorkspaceRef } | { registry: string; via: WorkspaceRef; resourceGroup?: string },
  opts: OpenOptions & RegistryOptions = {},
) {
  const { AzureMlRegistry, WorkspaceModelRegistry } = await import('./registry.js');
  if ('workspace' in target) return new WorkspaceModelRegistry(openWorkspace(target.workspace, opts));
  // A registry has no workspace of its own; its calls go through a client for the workspace's subscription. Its
  // resource group defaults to the workspace's (TFAML_REGISTRY_RESOURCE_GROUP overrides).
  const ws = openWorkspace(target.via, opts);
  const rg =
    target.resourceGroup ?? (opts.env ?? process.env).TFAML_REGISTRY_RESOURCE_GROUP ?? target.via.resourceGroup;
  return new AzureMlRegistry(ws, target.registry, rg, opts);
}
