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

type ValidateBundle = { runValidate(argv: string[]): Promise<number | undefined> };

async function main(argv: string[]): Promise<void> {
  if (argv[0] === 'validate') {
    const bundle = loadBundle<ValidateBundle>(path.join(__dirname, 'validate.cjs'));
    const code = await bundle.exports.runValidate(argv);
    bundle.save();
    if (code !== undefined) {
      process.exitCode = code;
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
