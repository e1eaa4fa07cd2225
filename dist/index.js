import { createRequire as __tfamlCreateRequire } from 'node:module'; const require = __tfamlCreateRequire(import.meta.url);
import {
  runAction
} from "./chunks/chunk-SKVYUQNO.js";
import "./chunks/chunk-ETCR5UQ5.js";
import "./chunks/chunk-7YOTLTN5.js";

// src/index.ts
void runAction().then((code) => {
  process.exitCode = code;
});
