/**
 * Stand-ins for what a GPU runner has, for the tests of actions/train's GPU steps (test/actions/train-gpu.test.ts and
 * the runner-style test/e2e/train-gpu.test.ts): nvidia-smi, pip and npm, each a small bash script that records what
 * it was asked and lays out files the way the real tool does.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * nvidia-smi on a runner with one Tesla T4: `-L` lists it, `--query-gpu=driver_version` prints the driver alone, and
 * the doctor's query prints name, driver and memory. The driver is FAKE_DRIVER (default 535.104.05).
 */
export const NVIDIA_SMI = `#!/bin/bash
driver="\${FAKE_DRIVER:-535.104.05}"
case "$*" in
  -L) echo "GPU 0: Tesla T4 (UUID: GPU-0f3e)" ;;
  *name,driver_version*) echo "Tesla T4, $driver, 15360" ;;
  *driver_version*) echo "$driver" ;;
  *) echo "Tesla T4 $driver" ;;
esac
`;

/**
 * pip: `install ... --target D name==version ...` appends its arguments (one line) to PIP_LOG and writes each
 * wheel's libraries where NVIDIA's wheels put them (D/nvidia/<component>/lib), as empty stand-ins; PIP_SKIP names a
 * library it leaves out (a broken wheel), PIP_FAIL makes it fail as pip does when an index does not answer.
 */
export const PIP = `#!/bin/bash
set -euo pipefail
echo "$*" >> "$PIP_LOG"
[ "$1" = install ] || { echo "pip $1 is not stubbed" >&2; exit 1; }
shift
if [ -n "\${PIP_FAIL:-}" ]; then echo "ERROR: Could not find a version that satisfies the requirement" >&2; exit 1; fi
target=""; wheels=()
while [ $# -gt 0 ]; do
  case "$1" in
    --target) target="$2"; shift 2 ;;
    --*) shift ;;
    *) wheels+=("$1"); shift ;;
  esac
done
[ -n "$target" ] || { echo "no --target" >&2; exit 1; }
for w in "\${wheels[@]}"; do
  case "\${w%%==*}" in
    nvidia-cuda-runtime-cu11) c=cuda_runtime; libs="libcudart.so.11.0" ;;
    nvidia-cublas-cu11) c=cublas; libs="libcublas.so.11 libcublasLt.so.11" ;;
    nvidia-cufft-cu11) c=cufft; libs="libcufft.so.10" ;;
    nvidia-curand-cu11) c=curand; libs="libcurand.so.10" ;;
    nvidia-cusolver-cu11) c=cusolver; libs="libcusolver.so.11" ;;
    nvidia-cusparse-cu11) c=cusparse; libs="libcusparse.so.11" ;;
    nvidia-cudnn-cu11) c=cudnn; libs="libcudnn.so.8 libcudnn_cnn_infer.so.8" ;;
    *) echo "ERROR: No matching distribution found for $w" >&2; exit 1 ;;
  esac
  mkdir -p "$target/nvidia/$c/lib" "$target/\${w%%==*}-\${w##*==}.dist-info"
  touch "$target/nvidia/__init__.py" "$target/nvidia/$c/__init__.py"
  echo "Version: \${w##*==}" > "$target/\${w%%==*}-\${w##*==}.dist-info/METADATA"
  for l in $libs; do
    [ "$l" = "\${PIP_SKIP:-}" ] || echo "ELF $l" > "$target/nvidia/$c/lib/$l"
  done
done
`;

/**
 * npm: `ci --prefix D` lays out a small tfjs-node-gpu tree in D (version NPM_BREAK, default 4.22.0) whose entry
 * throws the error libtensorflow gives without its CUDA libraries (after writing the LD_LIBRARY_PATH it was started
 * with to TFJS_LOG, when set), `ls --prefix D --all` prints the tree when its package.json says 4.22.0 and fails
 * otherwise, as npm does for an invalid tree. Every call is appended to NPM_LOG.
 */
export const NPM = `#!/bin/bash
set -euo pipefail
echo "$*" >> "$NPM_LOG"
cmd="$1"; shift
prefix=""
while [ $# -gt 0 ]; do case "$1" in --prefix) prefix="$2"; shift 2 ;; *) shift ;; esac; done
pkg="$prefix/node_modules/@tensorflow/tfjs-node-gpu"
case "$cmd" in
  ci)
    [ -f "$prefix/package-lock.json" ] || { echo "npm ci needs a package-lock.json" >&2; exit 1; }
    mkdir -p "$pkg/lib/napi-v8" "$prefix/node_modules/.bin"
    printf '{"name":"@tensorflow/tfjs-node-gpu","version":"%s","main":"index.js"}\\n' "\${NPM_BREAK:-4.22.0}" > "$pkg/package.json"
    cat > "$pkg/index.js" <<'JS'
if (process.env.TFJS_LOG) require('node:fs').appendFileSync(process.env.TFJS_LOG, (process.env.LD_LIBRARY_PATH || '') + '\\n');
throw new Error('libcudart.so.11.0: cannot open shared object file: No such file or directory');
JS
    echo binding > "$pkg/lib/napi-v8/tfjs_binding.node"
    ln -sfn ../@tensorflow/tfjs-node-gpu/package.json "$prefix/node_modules/.bin/tfjs"
    ;;
  ls)
    grep -q '"version":"4.22.0"' "$pkg/package.json" 2>/dev/null || { echo "npm error invalid" >&2; exit 1; }
    printf 'tfaml-train-gpu@0.0.0 %s\\n\`-- @tensorflow/tfjs-node-gpu@4.22.0\\n' "$prefix"
    ;;
  *) echo "npm $cmd is not stubbed" >&2; exit 1 ;;
esac
`;

/** Writes the named stubs into `bin` as executables. */
export function installStubs(bin: string, stubs: Record<string, string>): void {
  for (const [name, text] of Object.entries(stubs)) {
    writeFileSync(path.join(bin, name), text);
    chmodSync(path.join(bin, name), 0o755);
  }
}
