/**
 * A local fake of the Azure Resource Manager surface tfaml uses (Microsoft.MachineLearningServices 2022-10-01 and
 * the registry API 2025-12-01), of the Entra ID authority (OpenID discovery + token endpoint), of GitHub's OIDC token
 * endpoint, of the App Service managed identity endpoint and of the workspace's MLflow tracking server. One HTTPS
 * server on 127.0.0.1, certificate from the test CA (tls.ts).
 *
 * Bodies follow Microsoft's published Azure ML REST examples (the examples folders of the Machine Learning Services specs). State is kept: asset versions are immutable (a PUT of
 * an existing version with different content is 409 UserError), jobs go NotStarted → Queued → Running →
 * Completed/Failed on the fake's clock, registry PUTs are long-running (201 + Azure-AsyncOperation). Faults are
 * injected on demand (429 + Retry-After, 500, connection reset, slow answers, expired tokens, missing roles).
 */
import { randomUUID } from 'node:crypto';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { contractError, jobPutProblems } from './job-contract.js';
import { testTls } from './tls.js';

export interface Fault {
  method?: string;
  /** Matched against the path (without the query). */
  path: RegExp;
  /** reset: the connection drops before the request is handled; processed-then-reset: the request is handled (state
   * changes, as when Azure created the resource) and then the connection drops before the answer is sent. */
  kind: 'status' | 'reset' | 'slow' | 'processed-then-reset';
  status?: number;
  /** Seconds, for 429/503. */
  retryAfter?: number;
  /** For slow: milliseconds before the normal answer. */
  delayMs?: number;
  body?: unknown;
  /** How many matching requests it hits (default 1). */
  times?: number;
}

/**
 * The faults each Azure operation is put through in test/faults/azure-*.test.ts: throttled, failing, refused, and
 * answered after the work was done. Whatever happens, the operation must leave one of what it makes.
 */
export const TRANSIENT_FAULTS: Readonly<Record<string, Omit<Fault, 'method' | 'path'>>> = {
  '429 with Retry-After': { kind: 'status', status: 429, retryAfter: 1 },
  '500': { kind: 'status', status: 500 },
  '503': { kind: 'status', status: 503 },
  'a reset connection': { kind: 'reset' },
  'processed, then the connection drops': { kind: 'processed-then-reset' },
};

export interface JobPlan {
  queuedSeconds: number;
  runningSeconds: number;
  outcome: 'Completed' | 'Failed';
  metrics: Record<string, number>;
  error?: string;
  /**
   * A spell of NotResponding or Paused while it runs: from `afterSeconds` into the run, for `seconds` (Infinity:
   * it never comes back), then Running again. JobStatus in mfe.json lets a run return from NotResponding.
   */
  stall?: { status: 'NotResponding' | 'Paused'; afterSeconds: number; seconds: number };
}

/** A regional core quota for a VM family, as Azure ML enforces it when a job asks for nodes of that family. */
export interface CoreQuota {
  /** e.g. standardNCSv3Family */
  family: string;
  /** VM sizes of the family (STANDARD_NC6S_V3, …) and their cores. */
  vmSizes: Record<string, number>;
  /** Cores the subscription may use in the region; usage counts jobs that are not finished. */
  limit: number;
  location?: string;
  /** Status of the refusal (Azure answers 400; some paths 409). */
  status?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** Virtual time of the request (ms). */
  at: number;
  status: number;
  /** The request was handled but its answer never reached the client (processed-then-reset). */
  dropped?: boolean;
}

type Json = Record<string, unknown>;
interface JobState {
  body: Json;
  createdAt: number;
  plan: JobPlan;
  cancelledAt?: number;
}

const ARM_PREFIX =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.MachineLearningServices\/(workspaces|registries)\/([^/]+)(\/.*)?$/i;
const SYSTEM_DATA = (at: string) => ({
  createdAt: at,
  createdBy: 'tfaml-test',
  createdByType: 'Application',
  lastModifiedAt: at,
  lastModifiedBy: 'tfaml-test',
  lastModifiedByType: 'Application',
});

/** Fields that cannot change once a version exists (x-ms-mutability create,read in mfe.json). */
const IMMUTABLE: Record<string, string[]> = {
  environments: ['image', 'condaFile', 'build', 'osType', 'inferenceConfig'],
  data: ['dataType', 'dataUri', 'referencedUris'],
  models: ['modelUri', 'modelType', 'flavors', 'properties'],
  codes: ['codeUri', 'properties'],
};
const KIND_NAME: Record<string, string> = { environments: 'Environment', data: 'Data', models: 'Model', codes: 'Code' };

export interface FakeArmOptions {
  subscriptionId?: string;
  resourceGroup?: string;
  workspace?: string;
  registry?: string;
  /** Page size of list answers (small, so clients must follow nextLink). */
  pageSize?: number;
  /** Lifetime of issued access tokens in seconds (MSAL refreshes tokens that expire within 5 minutes). */
  tokenSeconds?: number;
  /** Where startPendingUpload points (Azurite's container URL + SAS), if registry uploads are tested. */
  pendingUpload?: (name: string, version: string) => { blobUri: string; sasUri: string };
}

export class FakeArm {
  url = '';
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly workspaceName: string;
  readonly registryName: string;
  /** The fake's clock (ms). Tests may replace it to run a 30-minute job in no time. */
  now: () => number = () => Date.now();
  readonly requests: RecordedRequest[] = [];
  readonly faults: Fault[] = [];
  /** Core quotas checked when a job is created (none by default). */
  readonly quotas: CoreQuota[] = [];
  /** Plan for the next job created. */
  jobPlan: JobPlan = { queuedSeconds: 0, runningSeconds: 0, outcome: 'Completed', metrics: { accuracy: 0.93 } };
  /** Paths (regex) answered 403 AuthorizationFailed, as when the identity lacks a role. */
  readonly denied: RegExp[] = [];
  /** Assertions GitHub's OIDC endpoint issued, and the ones the token endpoint received. */
  readonly oidcIssued: string[] = [];
  readonly assertionsSeen: string[] = [];
  readonly clientSecretsSeen: string[] = [];
  /** client_id -> secret the authority accepts. */
  readonly clients = new Map<string, string>([['tfaml-client', 'tfaml-secret']]);
  readonly computes = new Map<string, Json>();
  readonly assets: Record<string, Map<string, Map<string, Json>>> = {
    environments: new Map(),
    data: new Map(),
    models: new Map(),
    codes: new Map(),
  };
  readonly registryModels = new Map<string, Map<string, Json>>();
  readonly jobs = new Map<string, JobState>();
  readonly endpoints = new Map<string, { body: Json; deployments: Json[] }>();
  readonly datastoreKey = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
  /**
   * The default datastore's credentialsType: AccountKey (listSecrets answers its key) or None, an identity-based
   * datastore, which has no secrets (listSecrets answers 400).
   */
  datastoreCredentials: 'AccountKey' | 'None' = 'AccountKey';
  private tokens = new Map<string, number>();
  private operations = new Map<
    string,
    { polls: number; done: () => Json | undefined; fail?: string; failed?: () => void }
  >();
  /** Registry model versions whose long-running PUT has not finished yet (`name/version`): a concurrent PUT of the
   * same version is answered as if it existed (409 for other content), as Azure does for a create in flight. */
  readonly registryInFlight = new Map<string, Json>();
  /** Registry PUT operations: how many InProgress polls before the result, and whether it then fails. */
  lro = { polls: 1, fail: undefined as string | undefined };
  private server?: https.Server;
  private readonly pageSize: number;
  private readonly tokenSeconds: number;

  constructor(readonly options: FakeArmOptions = {}) {
    this.subscriptionId = options.subscriptionId ?? '00000000-1111-2222-3333-444444444444';
    this.resourceGroup = options.resourceGroup ?? 'rg-ml-dev';
    this.workspaceName = options.workspace ?? 'mlw-dev';
    this.registryName = options.registry ?? 'mlr-prod';
    this.pageSize = options.pageSize ?? 2;
    this.tokenSeconds = options.tokenSeconds ?? 3600;
  }

  async start(): Promise<this> {
    const tls = testTls();
    this.server = https.createServer({ cert: tls.cert, key: tls.key }, (req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  /** ARM id of the workspace. */
  get workspaceId(): string {
    return `/subscriptions/${this.subscriptionId}/resourceGroups/${this.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${this.workspaceName}`;
  }

  /** Every issued token stops working (as after expiry or revocation). */
  expireTokens(): void {
    this.tokens.clear();
  }

  armRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.path.startsWith('/subscriptions/'));
  }

  addCompute(
    name: string,
    scale: { minNodeCount: number; maxNodeCount: number; nodeIdleTimeBeforeScaleDown?: string },
    computeType = 'AmlCompute',
    vmSize = 'STANDARD_NC6S_V3',
    nodes: { current?: number; running?: number } = {},
  ): void {
    this.computes.set(name, {
      id: `${this.workspaceId}/computes/${name}`,
      type: 'Microsoft.MachineLearningServices/workspaces/computes',
      name,
      location: 'eastus',
      properties: {
        computeType,
        provisioningState: 'Succeeded',
        properties: {
          vmSize,
          vmPriority: 'Dedicated',
          osType: 'Linux',
          scaleSettings: scale,
          allocationState: 'Steady',
          currentNodeCount: nodes.current ?? 0,
          targetNodeCount: nodes.current ?? 0,
          nodeStateCounts: {
            idleNodeCount: (nodes.current ?? 0) - (nodes.running ?? 0),
            runningNodeCount: nodes.running ?? 0,
            preparingNodeCount: 0,
            unusableNodeCount: 0,
            leavingNodeCount: 0,
            preemptedNodeCount: 0,
          },
        },
      },
    });
  }

  /**
   * A compute instance (ComputeInstanceProperties: state, schedules.computeStartStop, and idleTimeBeforeShutdown, which
   * API versions after 2022-10-01 return and the SDK passes through).
   */
  addComputeInstance(
    name: string,
    o: { state: string; vmSize?: string; idleTimeBeforeShutdown?: string; stopSchedule?: boolean },
  ): void {
    this.computes.set(name, {
      id: `${this.workspaceId}/computes/${name}`,
      type: 'Microsoft.MachineLearningServices/workspaces/computes',
      name,
      location: 'eastus',
      properties: {
        computeType: 'ComputeInstance',
        provisioningState: 'Succeeded',
        properties: {
          vmSize: o.vmSize ?? 'STANDARD_DS3_V2',
          state: o.state,
          applicationSharingPolicy: 'Personal',
          ...(o.idleTimeBeforeShutdown ? { idleTimeBeforeShutdown: o.idleTimeBeforeShutdown } : {}),
          schedules: {
            computeStartStop: o.stopSchedule
              ? [
                  {
                    id: randomUUID(),
                    provisioningStatus: 'Completed',
                    status: 'Enabled',
                    action: 'Stop',
                    triggerType: 'Cron',
                    cron: { startTime: '2021-04-01T22:00:00', timeZone: 'UTC', expression: '0 19 * * *' },
                  },
                ]
              : [],
          },
        },
      },
    });
  }

  /**
   * A job as if submitted `ageSeconds` ago by someone (a running job for the audit): `properties` as the job PUT
   * takes them (limits, resources, computeId, tags), answered with the plan's states on the fake's clock.
   */
  addJob(name: string, properties: Json, ageSeconds: number, plan: Partial<JobPlan> = {}): void {
    const createdAt = this.now() - ageSeconds * 1000;
    this.jobs.set(name, {
      body: {
        id: `${this.workspaceId}/jobs/${name}`,
        name,
        type: 'Microsoft.MachineLearningServices/workspaces/jobs',
        properties: { jobType: 'Command', tags: {}, ...properties },
        systemData: SYSTEM_DATA(new Date(createdAt).toISOString()),
      },
      createdAt,
      plan: { queuedSeconds: 0, runningSeconds: Infinity, outcome: 'Completed', metrics: {}, ...plan },
    });
  }

  /** Seed an asset version as if it had been registered earlier. */
  seed(kind: 'environments' | 'data' | 'models' | 'codes', name: string, version: string, properties: Json): Json {
    const body = this.assetBody(kind, name, version, properties);
    this.versions(kind, name).set(version, body);
    return body;
  }

  addEndpoint(
    name: string,
    deployments: { name: string; instanceType: string; instanceCount: number }[],
    traffic?: Record<string, number>,
  ): void {
    this.endpoints.set(name, {
      body: {
        id: `${this.workspaceId}/onlineEndpoints/${name}`,
        name,
        type: 'Microsoft.MachineLearningServices/workspaces/onlineEndpoints',
        location: 'eastus',
        properties: {
          authMode: 'Key',
          provisioningState: 'Succeeded',
          traffic:
            traffic ?? Object.fromEntries(deployments.map((d) => [d.name, Math.floor(100 / deployments.length)])),
        },
      },
      deployments: deployments.map((d) => ({
        id: `${this.workspaceId}/onlineEndpoints/${name}/deployments/${d.name}`,
        name: d.name,
        type: 'Microsoft.MachineLearningServices/workspaces/onlineEndpoints/deployments',
        location: 'eastus',
        sku: { name: 'Default', capacity: d.instanceCount },
        properties: {
          endpointComputeType: 'Managed',
          instanceType: d.instanceType,
          provisioningState: 'Succeeded',
          scaleSettings: { scaleType: 'Default' },
        },
      })),
    });
  }

  versions(kind: string, name: string): Map<string, Json> {
    const store = this.assets[kind]!;
    let m = store.get(name);
    if (!m) store.set(name, (m = new Map()));
    return m;
  }

  /** A job's status on the fake's clock. */
  jobStatus(j: JobState): string {
    const t = (this.now() - j.createdAt) / 1000;
    if (j.cancelledAt !== undefined) return this.now() - j.cancelledAt >= 1000 ? 'Canceled' : 'CancelRequested';
    if (t < 0.001 && j.plan.queuedSeconds > 0) return 'NotStarted';
    if (t < j.plan.queuedSeconds) return 'Queued';
    const stall = j.plan.stall;
    if (stall) {
      const from = j.plan.queuedSeconds + stall.afterSeconds;
      if (t >= from && t < from + stall.seconds) return stall.status;
      if (t >= from + stall.seconds && t < from + stall.seconds + j.plan.runningSeconds - stall.afterSeconds)
        return 'Running';
      if (t >= from) return j.plan.outcome;
    }
    if (t < j.plan.queuedSeconds + j.plan.runningSeconds) return 'Running';
    return j.plan.outcome;
  }

  private assetBody(kind: string, name: string, version: string, properties: Json): Json {
    const at = new Date(this.now()).toISOString();
    return {
      id: `${this.workspaceId}/${kind}/${name}/versions/${version}`,
      name: version,
      type: `Microsoft.MachineLearningServices/workspaces/${kind}/versions`,
      properties: { isAnonymous: false, isArchived: false, ...properties },
      systemData: SYSTEM_DATA(at),
    };
  }

  // ---- HTTP ----

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', this.url);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const method = req.method ?? 'GET';
    const record: RecordedRequest = { method, path: u.pathname, query: u.searchParams, at: this.now(), status: 0 };
    this.requests.push(record);
    const send = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      res.writeHead(status, { 'content-type': 'application/json', 'x-ms-request-id': randomUUID(), ...headers });
      res.end(body === undefined ? undefined : JSON.stringify(body));
    };
    const fault = this.faults.find((f) => (f.method === undefined || f.method === method) && f.path.test(u.pathname));
    if (fault) {
      fault.times = (fault.times ?? 1) - 1;
      if (fault.times <= 0) this.faults.splice(this.faults.indexOf(fault), 1);
      if (fault.kind === 'reset') {
        record.status = -1;
        req.socket.destroy();
        return;
      }
      if (fault.kind === 'processed-then-reset') {
        try {
          const [status] = this.route(method, u, raw, req);
          record.status = status;
          record.dropped = true;
        } catch {
          /* a bug in the fake shows as the reset */
        }
        // The request took effect; only its answer is lost.
        req.socket.destroy();
        return;
      }
      if (fault.kind === 'slow') await new Promise((r) => setTimeout(r, fault.delayMs ?? 1000));
      if (fault.kind === 'status') {
        const headers: Record<string, string> =
          fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {};
        return send(
          fault.status ?? 500,
          fault.body ?? {
            error: {
              code:
                fault.status === 429
                  ? 'TooManyRequests'
                  : fault.status === 503
                    ? 'ServiceUnavailable'
                    : 'InternalServerError',
              message: `injected ${fault.status ?? 500}`,
            },
          },
          headers,
        );
      }
    }
    try {
      const [status, body, headers] = this.route(method, u, raw, req);
      send(status, body, headers);
    } catch (err) {
      send(500, { error: { code: 'FakeBug', message: String((err as Error).stack) } });
    }
  }

  private route(method: string, u: URL, raw: string, req: IncomingMessage): [number, unknown, Record<string, string>?] {
    const p = u.pathname;
    // Entra ID: OpenID discovery and the token endpoint.
    let m = p.match(/^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/);
    if (m) {
      const t = m[1];
      return [
        200,
        {
          token_endpoint: `${this.url}/${t}/oauth2/v2.0/token`,
          issuer: `${this.url}/${t}/v2.0`,
          authorization_endpoint: `${this.url}/${t}/oauth2/v2.0/authorize`,
          jwks_uri: `${this.url}/${t}/discovery/v2.0/keys`,
          end_session_endpoint: `${this.url}/${t}/oauth2/v2.0/logout`,
          response_types_supported: ['code', 'token'],
          subject_types_supported: ['pairwise'],
          id_token_signing_alg_values_supported: ['RS256'],
          tenant_region_scope: 'NA',
        },
      ];
    }
    m = p.match(/^\/([^/]+)\/oauth2\/v2\.0\/token$/);
    if (m && method === 'POST') return this.token(new URLSearchParams(raw));
    // GitHub Actions OIDC (ACTIONS_ID_TOKEN_REQUEST_URL).
    if (p === '/_github/oidc') {
      const value = `gh-oidc-${this.oidcIssued.length + 1}-${u.searchParams.get('audience')}`;
      this.oidcIssued.push(value);
      return [200, { value }];
    }
    // App Service managed identity (IDENTITY_ENDPOINT + IDENTITY_HEADER).
    if (p === '/_msi/token') {
      if (req.headers['x-identity-header'] !== 'tfaml-msi') return [401, { error: 'bad identity header' }];
      const token = this.issue();
      return [
        200,
        {
          access_token: token,
          expires_on: String(Math.floor(Date.now() / 1000) + this.tokenSeconds),
          resource: u.searchParams.get('resource'),
          token_type: 'Bearer',
        },
      ];
    }
    // Everything below needs a valid bearer token.
    const auth = req.headers.authorization ?? '';
    const token = auth.startsWith('Bearer ') ? auth.slice(7) : undefined;
    const expires = token ? this.tokens.get(token) : undefined;
    if (expires === undefined || expires < Date.now()) {
      return [
        401,
        {
          error: {
            code: token ? 'ExpiredAuthenticationToken' : 'AuthenticationFailed',
            message: token
              ? 'The access token expiry UTC time is earlier than current UTC time.'
              : 'Authentication failed. The Authorization header is missing.',
          },
        },
        {
          'www-authenticate': `Bearer authorization_uri="${this.url}/common/oauth2/authorize", error="invalid_token", error_description="The access token has expired"`,
        },
      ];
    }
    if (p.startsWith('/mlflow/v1.0/') || p.startsWith('/mlflow-override/')) return this.mlflow(u);
    if (p.startsWith('/operations/')) return this.operation(p.slice('/operations/'.length));
    for (const d of this.denied) {
      if (d.test(p)) {
        const action = `Microsoft.MachineLearningServices/workspaces/${method === 'GET' ? 'read' : 'write'}`;
        return [
          403,
          {
            error: {
              code: 'AuthorizationFailed',
              message: `The client 'tfaml-client' with object id '0000' does not have authorization to perform action '${action}' over scope '${p}' or the scope is invalid.`,
            },
          },
        ];
      }
    }
    m = p.match(ARM_PREFIX);
    if (!m) return [404, { error: { code: 'NotFound', message: `no route ${method} ${p}` } }];
    const [, sub, rg, kind, name, rest = ''] = m;
    if (sub !== this.subscriptionId)
      return [
        404,
        { error: { code: 'SubscriptionNotFound', message: `The subscription '${sub}' could not be found.` } },
      ];
    if (rg!.toLowerCase() !== this.resourceGroup.toLowerCase())
      return [404, { error: { code: 'ResourceGroupNotFound', message: `Resource group '${rg}' could not be found.` } }];
    if (kind!.toLowerCase() === 'registries') {
      if (name !== this.registryName)
        return [
          404,
          {
            error: {
              code: 'ResourceNotFound',
              message: `The Resource 'Microsoft.MachineLearningServices/registries/${name}' under resource group '${rg}' was not found.`,
            },
          },
        ];
      return this.registry(method, u, rest, raw);
    }
    if (name !== this.workspaceName)
      return [
        404,
        {
          error: {
            code: 'ResourceNotFound',
            message: `The Resource 'Microsoft.MachineLearningServices/workspaces/${name}' under resource group '${rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
          },
        },
      ];
    return this.workspace(method, u, rest, raw);
  }

  private token(form: URLSearchParams): [number, unknown] {
    const clientId = form.get('client_id') ?? '';
    const assertion = form.get('client_assertion');
    const secret = form.get('client_secret');
    if (assertion) {
      this.assertionsSeen.push(assertion);
      if (!this.oidcIssued.includes(assertion))
        return [
          400,
          {
            error: 'invalid_client',
            error_description: 'AADSTS700024: Client assertion is not within its valid time range.',
          },
        ];
    } else if (secret !== null) {
      this.clientSecretsSeen.push(secret);
      if (this.clients.get(clientId) !== secret)
        return [
          401,
          {
            error: 'invalid_client',
            error_description: `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
            error_codes: [7000215],
          },
        ];
    } else {
      return [
        400,
        {
          error: 'invalid_request',
          error_description:
            'AADSTS900144: The request body must contain the following parameter: client_assertion or client_secret.',
        },
      ];
    }
    const access = this.issue();
    return [
      200,
      { token_type: 'Bearer', expires_in: this.tokenSeconds, ext_expires_in: this.tokenSeconds, access_token: access },
    ];
  }

  private issue(): string {
    const t = `fake-token-${randomUUID()}`;
    this.tokens.set(t, Date.now() + this.tokenSeconds * 1000);
    return t;
  }

  private page(u: URL, items: unknown[]): [number, unknown] {
    const skip = Number(u.searchParams.get('$skip') ?? '0');
    const slice = items.slice(skip, skip + this.pageSize);
    const next = new URL(u.toString());
    next.searchParams.set('$skip', String(skip + this.pageSize));
    return [200, { value: slice, ...(skip + this.pageSize < items.length ? { nextLink: next.toString() } : {}) }];
  }

  private workspace(method: string, u: URL, rest: string, raw: string): [number, unknown, Record<string, string>?] {
    // Every workspace operation requires api-version (ApiVersionParameter, required: true); tfaml speaks 2022-10-01.
    const version = u.searchParams.get('api-version');
    if (!version)
      return [
        400,
        {
          error: {
            code: 'MissingApiVersionParameter',
            message: 'The api-version query parameter (?api-version=) is required for all requests.',
          },
        },
      ];
    if (version !== '2022-10-01')
      return [
        400,
        {
          error: {
            code: 'NoRegisteredProviderFound',
            message: `The fake ARM serves Microsoft.MachineLearningServices workspaces at api-version 2022-10-01, not '${version}'.`,
          },
        },
      ];
    const body = raw ? (JSON.parse(raw) as Json) : {};
    if (rest === '' && method === 'GET') {
      return [
        200,
        {
          id: this.workspaceId,
          name: this.workspaceName,
          type: 'Microsoft.MachineLearningServices/workspaces',
          location: 'eastus',
          properties: {
            friendlyName: this.workspaceName,
            storageAccount: `/subscriptions/${this.subscriptionId}/resourceGroups/${this.resourceGroup}/providers/Microsoft.Storage/storageAccounts/devstoreaccount1`,
            discoveryUrl: `${this.url}/discovery`,
            mlFlowTrackingUri: `azureml://${new URL(this.url).host}/mlflow/v1.0${this.workspaceId}`,
            provisioningState: 'Succeeded',
          },
        },
      ];
    }
    if (rest === '/computes') {
      if (method !== 'GET') return [405, { error: { code: 'MethodNotAllowed', message: method } }];
      return this.page(u, [...this.computes.values()]);
    }
    // EnvironmentContainers_List / DataContainers_List: the containers that hold a version (listViewType ActiveOnly).
    const containers = rest.match(/^\/(environments|data)$/);
    if (containers) {
      if (method !== 'GET') return [405, { error: { code: 'MethodNotAllowed', message: method } }];
      const kind = containers[1]!;
      const all = [...this.assets[kind]!.entries()]
        .filter(([, versions]) => versions.size > 0)
        .map(([name, versions]) => ({
          id: `${this.workspaceId}/${kind}/${name}`,
          name,
          type: `Microsoft.MachineLearningServices/workspaces/${kind}`,
          properties: {
            description: null,
            tags: {},
            properties: {},
            isArchived: false,
            latestVersion: [...versions.keys()].sort((a, b) => b.localeCompare(a, undefined, { numeric: true }))[0],
            nextVersion: null,
          },
          systemData: SYSTEM_DATA(new Date(this.now()).toISOString()),
        }));
      return this.page(u, all);
    }
    let m = rest.match(/^\/computes\/([^/]+)$/);
    if (m) {
      const c = this.computes.get(m[1]!);
      return c
        ? [200, c]
        : [
            404,
            {
              error: {
                code: 'ResourceNotFound',
                message: `Compute ${m[1]} not found in workspace ${this.workspaceName}.`,
              },
            },
          ];
    }
    if (rest === '/datastores' && method === 'GET') {
      const ds = this.datastore();
      return this.page(u, u.searchParams.get('isDefault') === 'false' ? [] : [ds]);
    }
    m = rest.match(/^\/datastores\/([^/]+)(\/listSecrets)?$/);
    if (m) {
      if (m[1] !== 'workspaceblobstore')
        return [404, { error: { code: 'UserError', message: `Datastore ${m[1]} not found.` } }];
      if (m[2]) {
        if (method !== 'POST')
          return [405, { error: { code: 'MethodNotAllowed', message: 'listSecrets is POST only' } }];
        return this.datastoreCredentials === 'AccountKey'
          ? [200, { secretsType: 'AccountKey', key: this.datastoreKey }]
          : [
              400,
              {
                error: {
                  code: 'UserError',
                  message: `Datastore ${m[1]} uses identity-based access (credentialsType None) and has no secrets.`,
                },
              },
            ];
      }
      if (method !== 'GET') return [405, { error: { code: 'MethodNotAllowed', message: method } }];
      return [200, this.datastore()];
    }
    m = rest.match(/^\/(environments|data|models|codes)\/([^/]+)\/versions(?:\/([^/]+))?$/);
    if (m) return this.assetVersion(method, u, m[1]!, m[2]!, m[3], body);
    m = rest.match(/^\/jobs(?:\/([^/]+))?(\/cancel)?$/);
    if (m) return this.job(method, u, m[1], Boolean(m[2]), body);
    if (rest === '/onlineEndpoints')
      return this.page(
        u,
        [...this.endpoints.values()].map((e) => e.body),
      );
    m = rest.match(/^\/onlineEndpoints\/([^/]+)\/deployments$/);
    if (m) {
      const e = this.endpoints.get(m[1]!);
      return e
        ? this.page(u, e.deployments)
        : [404, { error: { code: 'ResourceNotFound', message: `endpoint ${m[1]} not found` } }];
    }
    return [404, { error: { code: 'NotFound', message: `no route ${method} ${rest}` } }];
  }

  private datastore(): Json {
    return {
      id: `${this.workspaceId}/datastores/workspaceblobstore`,
      name: 'workspaceblobstore',
      type: 'Microsoft.MachineLearningServices/workspaces/datastores',
      properties: {
        datastoreType: 'AzureBlob',
        accountName: 'devstoreaccount1',
        containerName: 'azureml-blobstore-test',
        endpoint: 'core.windows.net',
        protocol: 'https',
        credentials: { credentialsType: this.datastoreCredentials },
        isDefault: true,
      },
    };
  }

  private assetVersion(
    method: string,
    u: URL,
    kind: string,
    name: string,
    version: string | undefined,
    body: Json,
  ): [number, unknown] {
    const versions = this.versions(kind, name);
    if (version === undefined) {
      if (method !== 'GET') return [405, { error: { code: 'MethodNotAllowed', message: method } }];
      // ModelVersions_List's `tags`: "Comma-separated list of tag names (and optionally values)" (mfe.json).
      const wanted = kind === 'models' ? (u.searchParams.get('tags')?.split(',') ?? []) : [];
      const has = (v: Json) => {
        const tags = ((v.properties as Json).tags ?? {}) as Record<string, string>;
        return wanted.every((w) => {
          const [k, value] = w.split('=', 2) as [string, string | undefined];
          return value === undefined ? k in tags : tags[k] === value;
        });
      };
      const all = [...versions.values()]
        .filter(has)
        .sort((a, b) => String(b.name).localeCompare(String(a.name), undefined, { numeric: true }));
      return this.page(u, all);
    }
    const existing = versions.get(version);
    if (method === 'GET')
      return existing
        ? [200, existing]
        : [
            404,
            { error: { code: 'UserError', message: `${KIND_NAME[kind]} container ${name}:${version} not found.` } },
          ];
    if (method !== 'PUT') return [405, { error: { code: 'MethodNotAllowed', message: method } }];
    if (!/^[a-zA-Z0-9][a-zA-Z0-9\-_]{0,254}$/.test(name))
      return [400, { error: { code: 'UserError', message: `name ${name} is not valid` } }];
    const props = (body.properties ?? {}) as Json;
    if (existing) {
      const old = existing.properties as Json;
      const changed = IMMUTABLE[kind]!.filter(
        (k) =>
          JSON.stringify(old[k] ?? null) !== JSON.stringify(props[k] ?? null) &&
          !(k === 'properties' && props[k] === undefined),
      );
      if (changed.length)
        return [
          409,
          {
            error: {
              code: 'UserError',
              message: `${KIND_NAME[kind]} ${name} with version ${version} is already registered and cannot be changed.`,
              details: changed.map((c) => ({ code: 'Immutable', message: `${c} cannot be changed`, target: c })),
            },
          },
        ];
      const updated = {
        ...existing,
        properties: { ...old, description: props.description ?? old.description, tags: props.tags ?? old.tags },
      };
      versions.set(version, updated);
      return [200, updated];
    }
    const created = this.assetBody(kind, name, version, props);
    versions.set(version, created);
    return [201, created];
  }

  private job(
    method: string,
    u: URL,
    name: string | undefined,
    cancel: boolean,
    body: Json,
  ): [number, unknown, Record<string, string>?] {
    if (name === undefined) {
      if (method !== 'GET') return [405, { error: { code: 'MethodNotAllowed', message: method } }];
      // Jobs_List's filters: tag (a key the job carries), jobType, listViewType (ActiveOnly, the default, leaves
      // archived jobs out; ArchivedOnly keeps only them; All keeps both).
      const tag = u.searchParams.get('tag');
      const jobType = u.searchParams.get('jobType');
      const view = u.searchParams.get('listViewType') ?? 'ActiveOnly';
      const all = [...this.jobs.values()]
        .filter((j) => !tag || Object.keys(((j.body.properties as Json).tags ?? {}) as Json).includes(tag))
        .filter((j) => !jobType || (j.body.properties as Json).jobType === jobType)
        .filter((j) => {
          const archived = (j.body.properties as Json).isArchived === true;
          return view === 'All' || (view === 'ArchivedOnly' ? archived : !archived);
        })
        .map((j) => this.jobView(j));
      return this.page(u, all);
    }
    const j = this.jobs.get(name);
    if (cancel) {
      if (method !== 'POST') return [405, { error: { code: 'MethodNotAllowed', message: method } }];
      if (!j) return [404, { error: { code: 'UserError', message: `Job ${name} not found.` } }];
      const s = this.jobStatus(j);
      if (!['Completed', 'Failed', 'Canceled'].includes(s) && j.cancelledAt === undefined) j.cancelledAt = this.now();
      const op = this.newOperation(() => undefined, 0);
      return [202, undefined, { location: `${this.url}/operations/${op}?api-version=2022-10-01`, 'retry-after': '10' }];
    }
    if (method === 'GET')
      return j ? [200, this.jobView(j)] : [404, { error: { code: 'UserError', message: `Job ${name} not found.` } }];
    if (method !== 'PUT') return [405, { error: { code: 'MethodNotAllowed', message: method } }];
    if (j)
      return [
        409,
        {
          error: {
            code: 'UserError',
            message: `A job with name ${name} already exists; job names are unique within a workspace.`,
          },
        },
      ];
    const problems = jobPutProblems(body);
    if (problems.length) return [400, contractError(problems)];
    const props = (body.properties ?? {}) as Json;
    const computeId = String(props.computeId ?? '');
    const compute = computeId.split('/').pop() ?? '';
    if (!this.computes.has(compute))
      return [
        400,
        { error: { code: 'UserError', message: `Compute ${compute} not found in workspace ${this.workspaceName}.` } },
      ];
    const refused = this.quotaRefusal(compute, props);
    if (refused) return refused;
    const state: JobState = {
      body: {
        id: `${this.workspaceId}/jobs/${name}`,
        name,
        type: 'Microsoft.MachineLearningServices/workspaces/jobs',
        properties: { ...props },
        systemData: SYSTEM_DATA(new Date(this.now()).toISOString()),
      },
      createdAt: this.now(),
      plan: { ...this.jobPlan },
    };
    this.jobs.set(name, state);
    return [201, this.jobView(state)];
  }

  /** The refusal Azure gives when the job's nodes would exceed the VM family's core quota in the region. */
  private quotaRefusal(compute: string, props: Json): [number, unknown] | undefined {
    const c = this.computes.get(compute) as { location?: string; properties: { properties: { vmSize?: string } } };
    const resources = (props.resources ?? {}) as { instanceType?: string; instanceCount?: number };
    const vmSize = String(resources.instanceType ?? c.properties.properties.vmSize ?? '');
    const nodes = Number(resources.instanceCount ?? 1);
    for (const q of this.quotas) {
      const size = Object.keys(q.vmSizes).find((k) => k.toLowerCase() === vmSize.toLowerCase());
      if (!size) continue;
      const cores = q.vmSizes[size]! * nodes;
      const usage = [...this.jobs.values()]
        .filter((j) => !['Completed', 'Failed', 'Canceled'].includes(this.jobStatus(j)))
        .reduce((n, j) => {
          const p = j.body.properties as Json;
          const r = (p.resources ?? {}) as { instanceType?: string; instanceCount?: number };
          const other = this.computes.get(
            String(p.computeId ?? '')
              .split('/')
              .pop() ?? '',
          ) as { properties: { properties: { vmSize?: string } } } | undefined;
          const s = String(r.instanceType ?? other?.properties.properties.vmSize ?? '').toLowerCase();
          const k = Object.keys(q.vmSizes).find((x) => x.toLowerCase() === s);
          return n + (k ? q.vmSizes[k]! * Number(r.instanceCount ?? 1) : 0);
        }, 0);
      if (usage + cores <= q.limit) continue;
      const location = q.location ?? c.location ?? 'eastus';
      return [
        q.status ?? 400,
        {
          error: {
            code: 'QuotaExceeded',
            message: `Operation could not be completed as it results in exceeding approved ${q.family} Cores quota. Additional details - Location: ${location}, Current Limit: ${q.limit}, Current Usage: ${usage}, Additional Required: ${cores}, (Minimum) New Limit Required: ${usage + cores}. Submit a request for Quota increase by specifying parameters listed in the 'Details' section for deployment to succeed.`,
            details: [
              {
                code: 'QuotaExceeded',
                message: `${q.family} quota exceeded in ${location}`,
                target: 'resources.instanceType',
              },
            ],
          },
        },
      ];
    }
    return undefined;
  }

  private jobView(j: JobState): Json {
    const props = j.body.properties as Json;
    return {
      ...j.body,
      properties: {
        ...props,
        status: this.jobStatus(j),
        services: {
          Studio: {
            jobServiceType: 'Studio',
            endpoint: `https://ml.azure.com/runs/${j.body.name}?wsid=${this.workspaceId}`,
          },
        },
      },
    };
  }

  private mlflow(u: URL): [number, unknown] {
    if (!u.pathname.endsWith('/api/2.0/mlflow/runs/get'))
      return [404, { error_code: 'ENDPOINT_NOT_FOUND', message: u.pathname }];
    const id = u.searchParams.get('run_id') ?? '';
    const j = this.jobs.get(id);
    if (!j) return [404, { error_code: 'RESOURCE_DOES_NOT_EXIST', message: `Run '${id}' not found` }];
    const status = this.jobStatus(j);
    const done = status === 'Completed';
    const metrics = done
      ? Object.entries(j.plan.metrics).map(([key, value]) => ({ key, value, timestamp: this.now(), step: 0 }))
      : [];
    const tags = j.plan.error && status === 'Failed' ? [{ key: 'mlflow.runError', value: j.plan.error }] : [];
    return [
      200,
      {
        run: {
          info: {
            run_id: id,
            run_uuid: id,
            experiment_id: '1',
            status: done ? 'FINISHED' : status === 'Failed' ? 'FAILED' : 'RUNNING',
            start_time: j.createdAt,
          },
          data: { metrics, params: [], tags },
        },
      },
    ];
  }

  // ---- registry (2025-12-01), long-running PUT ----

  private newOperation(done: () => Json | undefined, polls: number, fail?: string, failed?: () => void): string {
    const id = randomUUID();
    this.operations.set(id, { polls, done, fail, failed });
    return id;
  }

  private operation(id: string): [number, unknown, Record<string, string>?] {
    const op = this.operations.get(id.split('?')[0]!);
    if (!op) return [404, { error: { code: 'NotFound', message: `operation ${id}` } }];
    if (op.polls > 0) {
      op.polls--;
      return [200, { status: 'InProgress' }, { 'retry-after': '0' }];
    }
    if (op.fail) {
      op.failed?.();
      return [200, { status: 'Failed', error: { code: 'UserError', message: op.fail } }];
    }
    op.done();
    return [200, { status: 'Succeeded' }];
  }

  /** A registry create's operation succeeded: the version exists from now on (once, whichever operation ends first). */
  private commitRegistryModel(key: string, versions: Map<string, Json>, version: string, body: Json): Json {
    if (this.registryInFlight.get(key) === body) {
      versions.set(version, body);
      this.registryInFlight.delete(key);
    }
    return versions.get(version) ?? body;
  }

  private registry(method: string, u: URL, rest: string, raw: string): [number, unknown, Record<string, string>?] {
    if (u.searchParams.get('api-version') !== '2025-12-01')
      return [
        400,
        {
          error: {
            code: 'InvalidApiVersionParameter',
            message: `The api-version '${u.searchParams.get('api-version')}' is invalid for registries; use 2025-12-01.`,
          },
        },
      ];
    const m = rest.match(/^\/models\/([^/]+)\/versions(?:\/([^/]+))?(\/startPendingUpload)?$/);
    if (!m) return [404, { error: { code: 'NotFound', message: `no route ${method} ${rest}` } }];
    const [, name, version, pending] = m as unknown as [string, string, string | undefined, string | undefined];
    let versions = this.registryModels.get(name);
    if (!versions) this.registryModels.set(name, (versions = new Map()));
    if (version === undefined) {
      return this.page(
        u,
        [...versions.values()].filter((v) => !(v as { pending?: boolean }).pending),
      );
    }
    const key = `${name}/${version}`;
    const existing = versions.get(version);
    if (pending) {
      if (method !== 'POST') return [405, { error: { code: 'MethodNotAllowed', message: method } }];
      if (!this.options.pendingUpload)
        return [500, { error: { code: 'FakeNotConfigured', message: 'pendingUpload is not configured on the fake' } }];
      const p = this.options.pendingUpload(name, version);
      return [
        200,
        {
          pendingUploadId: randomUUID(),
          pendingUploadType: 'TemporaryBlobReference',
          blobReferenceForConsumption: { blobUri: p.blobUri, credential: { credentialType: 'SAS', sasUri: p.sasUri } },
        },
      ];
    }
    if (method === 'GET')
      return existing
        ? [200, existing]
        : [
            404,
            {
              error: {
                code: 'UserError',
                message: `Model ${name}:${version} not found in registry ${this.registryName}.`,
              },
            },
          ];
    if (method !== 'PUT') return [405, { error: { code: 'MethodNotAllowed', message: method } }];
    const props = ((JSON.parse(raw || '{}') as Json).properties ?? {}) as Json;
    const inFlight = existing ? undefined : this.registryInFlight.get(key);
    const prior = existing ?? inFlight;
    if (prior) {
      const old = prior.properties as Json;
      const changed = IMMUTABLE.models!.filter(
        (k) => JSON.stringify(old[k] ?? null) !== JSON.stringify(props[k] ?? null),
      );
      if (changed.length)
        return [
          409,
          {
            error: {
              code: 'UserError',
              message: `Value of property ${changed[0]} for model ${name} cannot be replaced without increasing the version.`,
            },
          },
        ];
      if (existing) return [200, existing];
      // The same create again while the first is running: it ends with the first one's result.
      const again = this.newOperation(
        () => this.commitRegistryModel(key, versions!, version, inFlight!),
        this.lro.polls,
      );
      return [
        201,
        inFlight,
        {
          'azure-asyncoperation': `${this.url}/operations/${again}?api-version=2025-12-01`,
          'x-ms-async-operation-timeout': 'PT1H',
        },
      ];
    }
    const at = new Date(this.now()).toISOString();
    const body = {
      id: `/subscriptions/${this.subscriptionId}/resourceGroups/${this.resourceGroup}/providers/Microsoft.MachineLearningServices/registries/${this.registryName}/models/${name}/versions/${version}`,
      name: version,
      type: 'Microsoft.MachineLearningServices/registries/models/versions',
      properties: { isAnonymous: false, isArchived: false, ...props },
      systemData: SYSTEM_DATA(at),
    };
    this.registryInFlight.set(key, body);
    const op = this.newOperation(
      () => this.commitRegistryModel(key, versions!, version, body),
      this.lro.polls,
      this.lro.fail,
      () => {
        if (this.registryInFlight.get(key) === body) this.registryInFlight.delete(key);
      },
    );
    return [
      201,
      body,
      {
        'azure-asyncoperation': `${this.url}/operations/${op}?api-version=2025-12-01`,
        'x-ms-async-operation-timeout': 'PT1H',
      },
    ];
  }
}

export async function startFakeArm(options: FakeArmOptions = {}): Promise<FakeArm> {
  return new FakeArm(options).start();
}
