// One esbuild run produces the whole of dist/: the CLI and the action entry share chunks, and each verb is
// split into its own chunk so that `validate` never loads what `train` needs (tfjs) or what Azure needs.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import './gen-validator.mjs';

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: {
    // The full CLI (ESM) and the action.
    cli: 'src/entries/cli.ts',
    index: 'src/entries/index.ts',
    // The data hash's worker thread is started from its own file (src/lock/worker-url.ts finds it).
    'hash-worker': 'src/lock/hash-worker.ts',
  },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  // Native and optional run-time modules stay out of the bundle (habit 11 in docs/architecture.md).
  external: ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'],
  // Some CommonJS dependencies call require(); give the ESM bundle one,
  banner: {
    // (globalThis.URL: a bundled module may declare its own top-level URL, as vega-lite does, which would shadow it)
    // and __dirname/__filename, which the wasm backend's Emscripten loader reads when it starts in Node. They get
    // names of their own and `define` points the free uses at them: some dependencies declare their own
    // __filename/__dirname at the top of a module, and a second declaration in the same chunk would not load.
    js: "import { createRequire as __tfamlCreateRequire } from 'node:module'; import { fileURLToPath as __tfamlFileURLToPath } from 'node:url'; const require = __tfamlCreateRequire(import.meta.url); const __tfaml_filename = __tfamlFileURLToPath(import.meta.url); const __tfaml_dirname = __tfamlFileURLToPath(new globalThis.URL('.', import.meta.url));",
  },
  define: { __filename: '__tfaml_filename', __dirname: '__tfaml_dirname' },
  legalComments: 'none',
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
});

// The wasm backend's binaries, beside the bundle (src/train/local/backend.ts looks in dist/wasm): an action checkout
// has no node_modules. Threads are not used in Node, so the threaded build is left out.
const wasmDist = path.dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'));
mkdirSync('dist/wasm', { recursive: true });
for (const f of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm'])
  copyFileSync(path.join(wasmDist, f), path.join('dist/wasm', f));

// `tfaml` itself (package.json's bin) and validate's own bundle, both CommonJS: an ES module entry costs Node's ES
// module loader before its first line, and only a script can be given the code V8 compiled on an earlier run
// (src/entries/compile-cache.ts). validate.cjs holds no dynamic import: each one resolves to handoff-stub.ts, and
// reaching it hands the command line to the full CLI (src/entries/handoff.ts).
const cjs = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'],
  legalComments: 'none',
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
  inject: ['scripts/cjs-import-meta.mjs'],
  define: { 'import.meta.url': 'import_meta_url' },
};
const handOff = {
  name: 'hand-off',
  setup(b) {
    const stub = path.resolve('src/entries/handoff-stub.ts');
    b.onResolve({ filter: /.*/ }, (a) => (a.kind === 'dynamic-import' ? { path: stub } : undefined));
  },
};
const validateBuild = await build({
  ...cjs,
  entryPoints: { validate: 'src/entries/validate-cli.ts' },
  outExtension: { '.js': '.cjs' },
  outdir: 'dist',
  plugins: [handOff],
  metafile: true,
});
const strays = Object.keys(validateBuild.metafile.inputs).filter((f) =>
  /node_modules\/@(azure|actions|tensorflow)\//.test(f),
);
if (strays.length > 0 || /\bimport\(/.test(readFileSync('dist/validate.cjs', 'utf8')))
  throw new Error(
    `dist/validate.cjs must hold validate alone, without dynamic imports; it holds ${strays.join(', ') || 'an import()'}`,
  );
await build({
  ...cjs,
  entryPoints: { tfaml: 'src/entries/bin.ts' },
  outExtension: { '.js': '.cjs' },
  outdir: 'dist',
  // The bin names its compile cache entry by this hash rather than hashing the bundle at every start.
  define: {
    ...cjs.define,
    TFAML_VALIDATE_BUNDLE: JSON.stringify(
      createHash('sha256').update(readFileSync('dist/validate.cjs')).digest('hex').slice(0, 32),
    ),
  },
});
