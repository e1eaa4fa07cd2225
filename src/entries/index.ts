/** The action's entry point only (see main.ts). */
import module from 'node:module';

// The root action runs on node24, which keeps compiled code between runs when asked (Node ≥ 22.1): the steps of one
// job that run tfaml (validate, then cost, say) compile it once. Switched on before main.js and its chunks load.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
const { runAction } = await import('./main.js');

process.exitCode = await runAction();
