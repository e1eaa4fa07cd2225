#!/usr/bin/env node
import { createRequire as __tfamlCreateRequire } from 'node:module'; import { fileURLToPath as __tfamlFileURLToPath } from 'node:url'; const require = __tfamlCreateRequire(import.meta.url); const __filename = __tfamlFileURLToPath(import.meta.url); const __dirname = __tfamlFileURLToPath(new URL('.', import.meta.url));
import{runCli}from"./chunks/chunk-5XWWB6Z5.js";import"./chunks/chunk-JZJXNIXT.js";import"./chunks/chunk-JRS62S4Q.js";import"./chunks/chunk-LSWBFPAV.js";runCli(process.argv.slice(2)).then(code=>{process.exitCode=code});
