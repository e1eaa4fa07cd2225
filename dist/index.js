import { createRequire as __tfamlCreateRequire } from 'node:module'; const require = __tfamlCreateRequire(import.meta.url);
import{runAction}from"./chunks/chunk-WH23HFHH.js";import"./chunks/chunk-3A6X545O.js";import"./chunks/chunk-TEXM5PHV.js";runAction().then(code=>{process.exitCode=code});
