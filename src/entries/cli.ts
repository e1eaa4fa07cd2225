#!/usr/bin/env node
/** `tfaml <verb> [flags]` — entry point only (see main.ts). */
import module from 'node:module';

// Where the runtime has it (Node ≥ 22.1), keep compiled code between runs: validate's cold start is mostly compiling
// the YAML parser and the validate chunk. It must be switched on before those modules load, hence the import below.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
const { runCli } = await import('./main.js');

process.exitCode = await runCli(process.argv.slice(2));
