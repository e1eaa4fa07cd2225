/** Azure's answers turned into errors a user can act on (each names what to change: a name, a role, quota, a re-run). */
import { ConfigurationError, ServiceUnavailableError } from '../../core/errors.js';

interface RestLike {
  statusCode?: number;
  code?: string;
  message?: string;
  details?: unknown;
  response?: { bodyAsText?: string | null };
}

/** The error code and message of an ARM ErrorResponse, from a RestError or a raw body. */
export function armError(err: unknown): { status?: number; code?: string; message: string } {
  const e = (err ?? {}) as RestLike;
  let code = e.code;
  let message = e.message ?? String(err);
  const body = e.response?.bodyAsText;
  if (body) {
    try {
      const parsed = JSON.parse(body) as { error?: { code?: string; message?: string } };
      if (parsed.error?.message) message = parsed.error.message;
      if (parsed.error?.code) code = parsed.error.code;
    } catch {
      /* not JSON: keep the SDK's message */
    }
  }
  return { status: e.statusCode, code, message };
}

export function isStatus(err: unknown, status: number): boolean {
  return (err as RestLike)?.statusCode === status;
}

/** Which role lets an identity do `what`. */
function roleFor(what: string): string {
  if (/registry/i.test(what)) return '"AzureML Registry User" on the registry';
  if (/read|get|list/i.test(what) && !/secret/i.test(what))
    return '"Reader" (or "AzureML Data Scientist") on the workspace';
  return '"AzureML Data Scientist" on the workspace';
}

export interface Scope {
  subscriptionId: string;
  resourceGroup: string;
  workspace?: string;
  registry?: string;
}

/** Wraps an Azure failure during `what` into a ConfigurationError when the user can fix it; otherwise a plain Error. */
export function describeAzureError(err: unknown, what: string, scope: Scope): Error {
  if (err instanceof ConfigurationError) return err;
  const { status, code, message } = armError(err);
  const target = scope.registry ? `registry ${scope.registry}` : `workspace ${scope.workspace}`;
  if (status === 404 && code === 'SubscriptionNotFound')
    return new ConfigurationError(
      `${what}: subscription ${scope.subscriptionId} was not found or this identity cannot see it; check workspace.subscription-id in tfaml.yml (or AZURE_SUBSCRIPTION_ID)`,
    );
  if (status === 404 && code === 'ResourceGroupNotFound')
    return new ConfigurationError(
      `${what}: resource group ${scope.resourceGroup} was not found in subscription ${scope.subscriptionId}; check workspace.resource-group in tfaml.yml`,
    );
  if (status === 404 && code === 'ResourceNotFound' && /\/(workspaces|registries)\//.test(message))
    return new ConfigurationError(
      `${what}: ${target} was not found in resource group ${scope.resourceGroup} (subscription ${scope.subscriptionId}); check the name in tfaml.yml`,
    );
  if (status === 401)
    return new ConfigurationError(
      `${what}: Azure refused the credential (${code ?? 401}: ${message}); it is expired or wrong: sign in again or check the auth input and AZURE_* variables`,
    );
  if (status === 403)
    return new ConfigurationError(
      `${what}: this identity is not allowed (${code ?? 403}: ${message}); grant it the role ${roleFor(what)}`,
    );
  if (/quota/i.test(code ?? '') || /quota/i.test(message)) return quotaError(what, code, message);
  if (status === 429) {
    const e = new ServiceUnavailableError(
      `${what}: Azure is still throttling after retries (${message}); try again later`,
    );
    e.statusCode = 429;
    return e;
  }
  if (status === undefined && /certificate|self[- ]signed|CERT_/i.test(message))
    return new ConfigurationError(
      `${what}: Azure's TLS certificate is not trusted here (${message}); for a private CA set NODE_EXTRA_CA_CERTS, and check TFAML_ARM_ENDPOINT`,
    );
  if (status === undefined && /ECONN|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|socket hang up/i.test(message)) {
    return new ServiceUnavailableError(
      `${what}: could not reach Azure (${message}); check TFAML_ARM_ENDPOINT and the network, then run again`,
    );
  }
  if (status !== undefined && status >= 500) {
    // The service, not the input, is failing: exit 3, safe to re-run; not a bug and not the user's files.
    const e = new ServiceUnavailableError(
      `${what}: Azure answered ${status}${code ? ` ${code}` : ''} (${message}) and kept doing so after retries; the service is having trouble, not your files: run again later, and check https://azure.status.microsoft if it persists`,
    );
    e.statusCode = status;
    return e;
  }
  const e = new Error(`${what} failed: ${status ?? ''} ${code ?? ''}: ${message}`.replace(/\s+:/, ':'));
  (e as Error & { statusCode?: number }).statusCode = status;
  return e;
}

/** Quota exceeded: which VM family and region need more cores (when Azure says), and the two ways out. */
function quotaError(what: string, code: string | undefined, message: string): ConfigurationError {
  const family = message.match(/\b(\w+Family)\b/)?.[1];
  const region = message.match(/\bLocation:\s*([\w-]+)/i)?.[1];
  return new ConfigurationError(
    `${what}: Azure quota exceeded (${code ?? 'QuotaExceeded'}: ${message}); request more quota for ${family ?? 'the VM family of this instance type'} in ${region ?? 'the workspace region'} (Azure portal → Quotas → Machine learning), or train on another VM size (resources.instance_type, or a cluster of another size) or with fewer instances`,
  );
}
