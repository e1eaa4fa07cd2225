/**
 * TensorFlow.js and its backend, loaded at run time only (validate never pays for tfjs). Preference:
 * tfjs-node-gpu, tfjs-node, wasm, cpu. The native packages are optional installs (never bundled): each is tried
 * with a dynamic import and skipped when absent. `setBackend` returning false is an error, never a silent fallback.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigurationError, errorMessage } from '../../core/errors.js';
import type { Log } from '../../core/ports.js';

export type Tf = typeof import('@tensorflow/tfjs');
export const BACKENDS = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;
/** tfjs-node-gpu registers as `tensorflow` too; we name it apart in logs and records. */
export type BackendName = (typeof BACKENDS)[number];
/** Backends with the gradient kernels of convolutions (wasm has none: no conv backprop). */
export const CONV_GRADIENT_BACKENDS: readonly BackendName[] = ['tensorflow-gpu', 'tensorflow', 'cpu'];

export interface BackendChoice {
  tf: Tf;
  name: BackendName;
  /** Why this one, for the log: what was tried and skipped. */
  notes: string[];
}

/** Order to try, given an explicit choice ('auto' = all) and whether conv gradients are needed. Pure. */
export function backendOrder(requested: string, needsConvGradients: boolean): BackendName[] {
  if (requested === 'auto') return BACKENDS.filter((b) => !needsConvGradients || CONV_GRADIENT_BACKENDS.includes(b));
  if (!(BACKENDS as readonly string[]).includes(requested)) {
    throw new ConfigurationError(
      `backend ${JSON.stringify(requested)} is not one of auto, ${BACKENDS.join(', ')} (input backend or TFAML_BACKEND)`,
    );
  }
  const b = requested as BackendName;
  if (needsConvGradients && !CONV_GRADIENT_BACKENDS.includes(b)) {
    throw new ConfigurationError(
      `fine-tuning with top-N needs the gradients of convolutions, which the ${b} backend does not have (tfjs-backend-wasm 4.22 has no conv backprop kernels); use backend ${CONV_GRADIENT_BACKENDS.join(', ')} or auto, or fine-tune: none`,
    );
  }
  return [b];
}

const NATIVE_PACKAGE: Partial<Record<BackendName, string>> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
};

function installed(pkg: string): boolean {
  try {
    createRequire(import.meta.url).resolve(pkg);
    return true;
  } catch {
    return false;
  }
}

/**
 * The backend selectBackend would pick, without loading tfjs: the first in order whose native package is installed
 * (wasm and cpu are bundled). A fingerprint names it before training, to find a run to reuse; a native package that is
 * installed but fails to start makes the run differ, and the run records the backend it really used.
 */
export function predictBackend(
  requested: string,
  needsConvGradients: boolean,
  isInstalled: (pkg: string) => boolean = installed,
): BackendName {
  const order = backendOrder(requested, needsConvGradients);
  return order.find((b) => !NATIVE_PACKAGE[b] || isInstalled(NATIVE_PACKAGE[b])) ?? order[order.length - 1]!;
}

/** Folder holding the wasm binaries: beside the bundle (dist/), else in node_modules. */
function wasmDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const d of [here, path.join(here, '..'), path.join(here, 'wasm'), path.join(here, '..', 'wasm')]) {
    if (existsSync(path.join(d, 'tfjs-backend-wasm-simd.wasm'))) return d + path.sep;
  }
  const require = createRequire(import.meta.url);
  return path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep;
}

/** The bundle imports tfjs's CommonJS build: its exports may sit on `default`. */
function interop<T extends object>(mod: T, probe: string): T {
  return probe in mod ? mod : ((mod as { default?: T }).default ?? mod);
}

let chosen: BackendChoice | undefined;
let chosenKey = '';

export async function selectBackend(requested: string, needsConvGradients: boolean, log?: Log): Promise<BackendChoice> {
  const order = backendOrder(requested, needsConvGradients);
  // Already running on an acceptable backend (a second run in one process, e.g. tests): keep it.
  const key = `${requested}/${needsConvGradients}`;
  if (
    chosen &&
    chosenKey === key &&
    chosen.tf.getBackend() === (chosen.name === 'tensorflow-gpu' ? 'tensorflow' : chosen.name)
  ) {
    log?.info(`backend: ${chosen.name}`);
    return chosen;
  }
  const bundled = interop(await import('@tensorflow/tfjs'), 'setBackend');
  const notes: string[] = [];
  for (const b of order) {
    let tf: Tf = bundled;
    try {
      if (b === 'tensorflow-gpu' || b === 'tensorflow') {
        const pkg = b === 'tensorflow-gpu' ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node';
        try {
          // A variable specifier keeps bundlers and type checkers from resolving an optional native package.
          // The native package is installed beside the bundle at run time with its own @tensorflow/tfjs (4.22.0,
          // pinned like ours). tfjs keeps its engine and kernel registry on globalThis, so its kernels would be
          // visible to the bundled copy too; training still uses the tfjs it re-exports, so layers, converter and
          // kernels come from one installed set.
          tf = interop((await import(/* @vite-ignore */ pkg)) as Tf, 'setBackend') as Tf;
        } catch (err) {
          // Absent is normal; present but failing (no CUDA libraries, wrong ABI) is worth the reason.
          const absent = (err as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND';
          notes.push(absent ? `${pkg} not installed` : `${pkg} failed to load: ${errorMessage(err).split('\n')[0]}`);
          if (requested !== 'auto') {
            throw new ConfigurationError(
              absent
                ? `backend ${b} needs ${pkg}@4.22.0, which is not installed here; install it (the train action does on GPU runners) or use backend auto`
                : `backend ${b}: ${pkg} is installed but failed to load (${errorMessage(err).split('\n')[0]}); fix its native libraries or use backend auto`,
            );
          }
          continue;
        }
      } else if (b === 'wasm') {
        const wasm = interop(await import('@tensorflow/tfjs-backend-wasm'), 'setWasmPaths');
        wasm.setWasmPaths(wasmDir());
      }
      const ok = await tf.setBackend(b === 'tensorflow-gpu' ? 'tensorflow' : b);
      if (!ok) {
        const msg = `tf.setBackend('${b}') returned false: the ${b} backend failed to initialise`;
        if (requested !== 'auto')
          throw new ConfigurationError(`${msg}; choose another backend (${BACKENDS.join(', ')}) or auto`);
        notes.push(msg);
        continue;
      }
      await tf.ready();
      chosen = { tf, name: b, notes };
      chosenKey = key;
      log?.info(`backend: ${b}${notes.length ? ` (skipped: ${notes.join('; ')})` : ''}`);
      return chosen;
    } catch (err) {
      if (err instanceof ConfigurationError) throw err;
      notes.push(`${b}: ${errorMessage(err)}`);
    }
  }
  throw new ConfigurationError(`no TensorFlow.js backend could start (${notes.join('; ')})`);
}
