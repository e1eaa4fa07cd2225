#!/usr/bin/env node
import { createRequire as __tfamlCreateRequire } from 'node:module'; import { fileURLToPath as __tfamlFileURLToPath } from 'node:url'; const require = __tfamlCreateRequire(import.meta.url); const __tfaml_filename = __tfamlFileURLToPath(import.meta.url); const __tfaml_dirname = __tfamlFileURLToPath(new globalThis.URL('.', import.meta.url));
import module from"node:module";module.enableCompileCache?.();var{runCli}=await import("./chunks/main-5YS64N23.js");process.exitCode=await runCli(process.argv.slice(2));
