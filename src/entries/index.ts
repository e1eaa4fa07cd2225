/** The action's entry point only (see main.ts). */
import { runAction } from './main.js';

void runAction().then((code) => {
  process.exitCode = code;
});
