#!/usr/bin/env node
import { createRequire as __tfamlCreateRequire } from 'node:module'; const require = __tfamlCreateRequire(import.meta.url);
import {
  runCli
} from "./chunks/chunk-SKVYUQNO.js";
import "./chunks/chunk-ETCR5UQ5.js";
import "./chunks/chunk-7YOTLTN5.js";

// src/cli.ts
void runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
