#!/usr/bin/env node
import { createRequire as __tfamlCreateRequire } from 'node:module'; import { fileURLToPath as __tfamlFileURLToPath } from 'node:url'; const require = __tfamlCreateRequire(import.meta.url); const __tfaml_filename = __tfamlFileURLToPath(import.meta.url); const __tfaml_dirname = __tfamlFileURLToPath(new URL('.', import.meta.url));
import{runCli}from"./chunks/chunk-H5CUTZBT.js";import"./chunks/chunk-KHB2SWB5.js";import"./chunks/chunk-6FG5LI7Z.js";import"./chunks/chunk-MMJZ446A.js";runCli(process.argv.slice(2)).then(code=>{process.exitCode=code});
