#!/usr/bin/env node
/**
 * The `tfaml` command (package.json's bin). `tfaml validate`, which every pull request runs, starts from its own
 * bundle through the compile cache (validate-cli.ts, compile-cache.ts); any other command line, and a validate that
 * needs more than that bundle holds, runs through the full CLI (cli.ts, as dist/cli.js). This file is CommonJS
 * (dist/tfaml.cjs) because an ES module entry costs Node's ES module loader before its first line runs.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadBundle } from './compile-cache.js';

/** A hash of dist/validate.cjs, written in by the build (scripts/build.mjs). */
declare const TFAML_VALIDATE_BUNDLE: string;

type ValidateBundle = typeof import('./validate-cli.js');

async function main(argv: string[]): Promise<void> {
  if (argv[0] === 'validate') {
    const bundle = loadBundle<ValidateBundle>(path.join(__dirname, 'validate.cjs'), { id: TFAML_VALIDATE_BUNDLE });
    const run = await bundle.exports.runValidate(argv);
    bundle.save(run?.complete === true);
    if (run !== undefined) {
      process.exitCode = run.code;
      return;
    }
  }
  // The full CLI reads process.argv and sets the exit code itself.
  await import(pathToFileURL(path.join(__dirname, 'cli.js')).href);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(
    `tfaml failed unexpectedly; this is a bug in tfaml, please report it with this log:\n${(err as Error)?.stack ?? String(err)}\n`,
  );
  process.exitCode = 4;
});
