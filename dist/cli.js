#!/usr/bin/env node
import { createRequire as __tfamlCreateRequire } from 'node:module'; const require = __tfamlCreateRequire(import.meta.url);
import{runCli}from"./chunks/chunk-WH23HFHH.js";import"./chunks/chunk-3A6X545O.js";import"./chunks/chunk-TEXM5PHV.js";runCli(process.argv.slice(2)).then(code=>{process.exitCode=code});
