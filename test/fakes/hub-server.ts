/**
 * A local model hub that follows tfhub.dev's tfjs URL conventions, serving the real pre-trained MobileNetV2 models
 * that ship inside nsfwjs@4.3.0 (MIT), so the loader's download, hash and cache paths run for real:
 *
 *   <handle>/model.json?tfjs-format=file and <handle>/<shard>?tfjs-format=file      (tfhub.dev tfjs-model handles)
 *   /models/<owner>/<model>/tfJs/<variation>/<version>/model.json?tfjs-format=file   (Kaggle Models)
 *   /plain/<name>/model.json and its shards                                          (any https model.json)
 *
 * nsfwjs embeds each model as JavaScript modules: model.min.js exports the model.json object and every
 * group1-shardXofY.min.js exports the shard's bytes as a base64 string. `nsfwjsModel` turns them back into files.
 * The graph model is nsfwjs's classifier on a TF Hub mobilenet_v2_140_224 feature_vector; its `Identity` output is
 * rewired to the feature vector (1792-d) so it serves as the hub's feature_vector model does.
 */
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** A model as files by name: model.json and its weight shards. */
export type ModelFiles = Map<string, Buffer>;

const FEATURE_NODE =
  'StatefulPartitionedCall/sequential/keras_layer/StatefulPartitionedCall/StatefulPartitionedCall/StatefulPartitionedCall/predict/feature_vector/SpatialSqueeze';

interface ModelJson {
  format?: string;
  modelTopology: { node?: { name: string; op: string; input?: string[] }[]; signature?: unknown } & Record<
    string,
    unknown
  >;
  weightsManifest: { paths: string[]; weights: unknown[] }[];
  [k: string]: unknown;
}

/** `mobilenet_v2`: the layers model (224×224×3 in 0..1, 1280-d at `flatten_1`); `mobilenet_v2_mid`: the graph feature_vector (1792-d). */
export function nsfwjsModel(which: 'mobilenet_v2' | 'mobilenet_v2_mid'): ModelFiles {
  const main = require.resolve('nsfwjs'); // <pkg>/dist/cjs/index.js; the package exports no package.json
  const dir = path.join(main.slice(0, main.lastIndexOf(`${path.sep}dist${path.sep}`)), 'dist', 'models', which);
  const json = structuredClone(require(path.join(dir, 'model.min.js'))) as ModelJson;
  const files: ModelFiles = new Map();
  for (const group of json.weightsManifest) {
    for (const p of group.paths) files.set(p, Buffer.from(require(path.join(dir, `${p}.min.js`)) as string, 'base64'));
  }
  if (which === 'mobilenet_v2_mid') {
    const identity = json.modelTopology.node!.find((n) => n.name === 'Identity')!;
    identity.input = [FEATURE_NODE];
    json.modelTopology.signature = {
      inputs: {
        'input:0': {
          name: 'input:0',
          dtype: 'DT_FLOAT',
          tensorShape: { dim: [{ size: '-1' }, { size: '224' }, { size: '224' }, { size: '3' }] },
        },
      },
      outputs: {
        'Identity:0': {
          name: 'Identity:0',
          dtype: 'DT_FLOAT',
          tensorShape: { dim: [{ size: '-1' }, { size: '1792' }] },
        },
      },
    };
  }
  files.set('model.json', Buffer.from(JSON.stringify(json)));
  return files;
}

/**
 * What a path prefix serves; `html` and `status` imitate a captive portal and a broken CDN. `chunked` leaves out
 * Content-Length (so a size cap must count the bytes); `redirect` answers 302 (or `status`) with a Location of
 * `to` plus the rest of the path and the query, as a hub moving its files to a CDN does.
 */
export type Route =
  | { files: ModelFiles; chunked?: boolean }
  | { html: true }
  | { status: number; redirect?: undefined }
  | { redirect: string; status?: number };

export interface HubServer {
  /** e.g. http://127.0.0.1:43117 — what TFAML_HUB_URL is set to. */
  url: string;
  /** Requests received, as `<path>?<query>`. */
  requests: string[];
  /** Serve `files` (or an error) under a path prefix such as `/google/tfjs-model/.../3/default/1`. */
  route(prefix: string, r: Route): void;
  close(): Promise<void>;
}

/** The handles the tests and examples/ use, each with the model it serves. */
export const HANDLES = {
  graph: '/google/tfjs-model/imagenet/mobilenet_v2_140_224/feature_vector/3/default/1',
  layers: '/nsfwjs/tfjs-model/mobilenet_v2/layers/1/default/1',
  kaggle: '/models/google/mobilenet-v2/tfJs/140-224-feature-vector/3',
  plain: '/plain/mobilenet_v2',
} as const;

export async function startHubServer(opts: { port?: number } = {}): Promise<HubServer> {
  const routes = new Map<string, Route>();
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://localhost');
    requests.push(`${u.pathname}${u.search}`);
    const prefix = [...routes.keys()]
      .filter((p) => u.pathname.startsWith(`${p}/`))
      .sort((a, b) => b.length - a.length)[0];
    const route = prefix === undefined ? undefined : routes.get(prefix)!;
    if (!route) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    if ('redirect' in route && route.redirect !== undefined) {
      const rest = u.pathname.slice(prefix!.length);
      return void res.writeHead(route.status ?? 302, { location: `${route.redirect}${rest}${u.search}` }).end();
    }
    if ('status' in route)
      return void res.writeHead(route.status, { 'content-type': 'text/plain' }).end(`status ${route.status}`);
    if ('html' in route)
      return void res
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<!doctype html><html><body>Sign in to continue</body></html>');
    // The hub's tfjs convention: files are only served as files with ?tfjs-format=file (tfhub.dev and Kaggle).
    if (!prefix!.startsWith('/plain/') && u.searchParams.get('tfjs-format') !== 'file') {
      return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>model page</html>');
    }
    const name = u.pathname.slice(prefix!.length + 1);
    const body = route.files.get(name);
    if (!body) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    res
      .writeHead(200, {
        'content-type': name.endsWith('.json') ? 'application/json' : 'application/octet-stream',
        ...(route.chunked ? {} : { 'content-length': body.length }),
      })
      .end(body);
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  const hub: HubServer = {
    url: `http://127.0.0.1:${port}`,
    requests,
    route: (p, r) => void routes.set(p.replace(/\/+$/, ''), r),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  return hub;
}

/** A server with the standard handles routed (what `npm start` and most tests use). */
export async function startStandardHub(opts: { port?: number } = {}): Promise<HubServer> {
  const hub = await startHubServer(opts);
  const graph = nsfwjsModel('mobilenet_v2_mid');
  const layers = nsfwjsModel('mobilenet_v2');
  hub.route(HANDLES.graph, { files: graph });
  hub.route(HANDLES.kaggle, { files: graph });
  hub.route(HANDLES.layers, { files: layers });
  hub.route(HANDLES.plain, { files: layers });
  return hub;
}
