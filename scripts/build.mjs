// One esbuild run produces the whole of dist/: the CLI and the action entry share chunks, and each verb is
// split into its own chunk so that `validate` never loads what `train` needs (tfjs) or what Azure needs.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import './gen-validator.mjs';

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: {
    cli: 'src/cli.ts',
    index: 'src/index.ts',
  },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  // Native and optional run-time modules stay out of the bundle (house style 11).
  external: ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'],
  // Some CommonJS dependencies call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __tfamlCreateRequire } from 'node:module'; const require = __tfamlCreateRequire(import.meta.url);",
  },
  legalComments: 'none',
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
});
