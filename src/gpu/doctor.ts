/**
 * What training would run on, and why (`tfaml doctor`). @tensorflow/tfjs-node-gpu 4.22 links libtensorflow 2.9.1,
 * built against CUDA 11.2 and cuDNN 8: it loads the CUDA 11 runtime libraries below at start-up, and a runner with a
 * recent driver but CUDA 12 libraries (or none) cannot use its GPU. Pure: the facts come from
 * src/adapters/local/gpu.ts, the verdict and the words from here.
 */

/** The shared libraries libtensorflow 2.9.1 (tfjs-node-gpu 4.22) opens, and the NVIDIA pip wheel that ships each. */
export const CUDA11_LIBRARIES: readonly { file: string; wheel: string }[] = [
  { file: 'libcudart.so.11.0', wheel: 'nvidia-cuda-runtime-cu11' },
  { file: 'libcublas.so.11', wheel: 'nvidia-cublas-cu11' },
  { file: 'libcublasLt.so.11', wheel: 'nvidia-cublas-cu11' },
  { file: 'libcufft.so.10', wheel: 'nvidia-cufft-cu11' },
  { file: 'libcurand.so.10', wheel: 'nvidia-curand-cu11' },
  { file: 'libcusolver.so.11', wheel: 'nvidia-cusolver-cu11' },
  { file: 'libcusparse.so.11', wheel: 'nvidia-cusparse-cu11' },
  { file: 'libcudnn.so.8', wheel: 'nvidia-cudnn-cu11' },
];

/** The oldest Linux driver that runs CUDA 11.x applications (NVIDIA's minor version compatibility). */
export const MIN_DRIVER = '450.80.02';

export interface Gpu {
  name: string;
  driver: string;
  memoryMiB?: number;
}

export type PackageState = { state: 'loads' } | { state: 'absent' } | { state: 'fails'; why: string };

export interface GpuFacts {
  /** undefined: nvidia-smi is not on PATH (no NVIDIA driver). */
  gpus?: Gpu[];
  /** nvidia-smi was found but failed (a driver problem). */
  smiError?: string;
  /** Each library's path where found, undefined where not. */
  libraries: Record<string, string | undefined>;
  /** Where the libraries were looked for, in order (the loader's path, tfaml's own folder, the usual system ones). */
  searched: string[];
  /** tfaml's own folder for the CUDA 11 runtime (actions/train installs it there). */
  libraryDir: string;
  packages: { 'tfjs-node-gpu': PackageState; 'tfjs-node': PackageState };
}

export interface Diagnosis {
  /** gpu: training uses the GPU; none: no GPU here (wasm or the CPU); unusable: a GPU is present but cannot be used. */
  verdict: 'gpu' | 'none' | 'unusable';
  /** The backend `auto` would choose. */
  backend: 'tensorflow-gpu' | 'tensorflow' | 'wasm';
  /** What stands between the GPU and training, each with the command or change that fixes it. */
  problems: { what: string; fix: string }[];
}

/** `nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader,nounits` lines. */
export function parseNvidiaSmi(csv: string): Gpu[] {
  return csv
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [name = '', driver = '', memory] = l.split(',').map((x) => x.trim());
      const m = Number(memory);
      return { name, driver, ...(Number.isFinite(m) && memory !== '' ? { memoryMiB: m } : {}) };
    });
}

/** a < b for dotted driver versions (450.80.02). */
export function olderThan(a: string, b: string): boolean {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0;
  }
  return false;
}

export function diagnose(f: GpuFacts): Diagnosis {
  const cpuBackend = f.packages['tfjs-node'].state === 'loads' ? 'tensorflow' : 'wasm';
  // No nvidia-smi, or one that finds no device (a CPU image with NVIDIA's tools, as actions/train's gpu step sees
  // it): no GPU to use. The report still shows nvidia-smi's words, in case the machine has a GPU its driver lost.
  if (!f.gpus || f.smiError) return { verdict: 'none', backend: cpuBackend, problems: [] };
  const problems: Diagnosis['problems'] = [];
  if (f.gpus.length === 0)
    problems.push({
      what: 'nvidia-smi lists no GPU',
      fix: 'check that the runner has a GPU and that the driver sees it',
    });
  const old = (f.gpus ?? []).filter((g) => olderThan(g.driver, MIN_DRIVER));
  for (const g of old)
    problems.push({
      what: `the driver of ${g.name} is ${g.driver}, older than ${MIN_DRIVER}, the oldest that runs CUDA 11`,
      fix: `update the NVIDIA driver to ${MIN_DRIVER} or newer`,
    });
  const missing = CUDA11_LIBRARIES.filter((l) => !f.libraries[l.file]);
  if (missing.length)
    problems.push({
      what: `tfjs-node-gpu needs the CUDA 11 / cuDNN 8 runtime, and ${missing.map((l) => l.file).join(', ')} ${missing.length === 1 ? 'is' : 'are'} not found (looked in ${f.searched.join(', ')})`,
      fix: `use actions/train with gpu: true (it installs them), or: pip install --target ${f.libraryDir} ${[...new Set(missing.map((l) => l.wheel))].join(' ')} (at the versions actions/train/gpu/cuda11.json pins) and put its nvidia/*/lib folders on LD_LIBRARY_PATH`,
    });
  const gpuPkg = f.packages['tfjs-node-gpu'];
  if (gpuPkg.state === 'absent')
    problems.push({
      what: '@tensorflow/tfjs-node-gpu is not installed',
      fix: 'npm i --no-save @tensorflow/tfjs-node-gpu@4.22.0 (actions/train with gpu: true does it from its lockfile)',
    });
  else if (gpuPkg.state === 'fails')
    problems.push({
      what: `@tensorflow/tfjs-node-gpu is installed but does not load (${gpuPkg.why})`,
      fix: missing.length
        ? 'provide the libraries above, then run tfaml doctor again'
        : 'reinstall it: npm i --no-save @tensorflow/tfjs-node-gpu@4.22.0',
    });
  if (problems.length === 0 && gpuPkg.state === 'loads') return { verdict: 'gpu', backend: 'tensorflow-gpu', problems };
  return { verdict: 'unusable', backend: cpuBackend, problems };
}

const describePackage = (p: PackageState) =>
  p.state === 'loads'
    ? 'installed, loads'
    : p.state === 'absent'
      ? 'not installed'
      : `installed, does not load: ${p.why}`;

export function renderText(f: GpuFacts, d: Diagnosis): string {
  const lines = [
    d.verdict === 'gpu'
      ? `tfaml doctor: training uses the GPU (backend ${d.backend})`
      : d.verdict === 'none'
        ? `tfaml doctor: no GPU here; training uses ${d.backend}`
        : `tfaml doctor: a GPU is present but training cannot use it; training would use ${d.backend}`,
    '',
    `GPUs: ${f.gpus === undefined ? (f.smiError ? `none: nvidia-smi failed (${f.smiError}); if this machine has a GPU, its driver is not working` : 'none (nvidia-smi is not on PATH)') : f.gpus.map((g) => `${g.name} (driver ${g.driver}${g.memoryMiB ? `, ${g.memoryMiB} MiB` : ''})`).join('; ') || 'none listed'}`,
    `tfjs-node-gpu: ${describePackage(f.packages['tfjs-node-gpu'])}`,
    `tfjs-node: ${describePackage(f.packages['tfjs-node'])}`,
    'CUDA 11 runtime:',
    ...CUDA11_LIBRARIES.map((l) => `  ${l.file.padEnd(20)} ${f.libraries[l.file] ?? 'missing'}`),
  ];
  if (d.problems.length) lines.push('', 'To use the GPU:', ...d.problems.map((p) => `  - ${p.what}: ${p.fix}`));
  return lines.join('\n') + '\n';
}

/** Why `--backend tensorflow-gpu` cannot run here, in doctor's words, for a usage error (exit 2). */
export function refusal(f: GpuFacts, d: Diagnosis): string {
  const findings =
    d.verdict === 'none'
      ? [
          f.smiError
            ? `nvidia-smi failed (${f.smiError}): the driver does not see a GPU`
            : 'nvidia-smi is not on PATH: this machine has no NVIDIA driver or GPU',
        ]
      : d.problems.map((p) => `${p.what}: ${p.fix}`);
  return `backend tensorflow-gpu: this machine cannot train on a GPU (tfaml doctor: ${findings.join('; ')}); fix that, or use backend auto (it would use ${d.backend} here)`;
}
