/**
 * env/cuda-mismatch: does the tensorflow an environment pins fit the CUDA/cuDNN it will find (the base image's, or
 * what pip/conda install), the python it pins, and the GPU of the compute a job runs it on?
 *
 * Facts come from two data files with their sources: data/tf-cuda.json (tensorflow.org's tested build
 * configurations) and data/gpu-skus.json (Azure GPU sizes, their GPUs and which CUDA versions those GPUs need).
 *
 * A tensorflow version the table does not know (newer than the snapshot, or older than 2.4) gives no finding: the
 * table is a dated snapshot, newer releases appear faster than it is updated, and a finding the user can only
 * silence (there is nothing in their files to change) would teach them to ignore the rule.
 */
import gpuData from './data/gpu-skus.json' with { type: 'json' };
import tfData from './data/tf-cuda.json' with { type: 'json' };
import type { Finding, Severity } from '../core/findings.js';
import type { Dependency, DependencyLocation } from '../parse/dependency.js';
import { parseImageRef } from './image.js';
import { quote } from '../core/inert.js';

/* ------------------------------------------------------------------------------------------------------------- */
/* Versions                                                                                                       */

export interface Ver {
  major: number;
  /** Undefined when only the major is known (`cudnn8`, `cuda11`). */
  minor?: number;
}

export function parseVer(s: string | undefined): Ver | undefined {
  const m = s?.match(/^(\d+)(?:\.(\d+))?/);
  if (!m) return undefined;
  return { major: Number(m[1]), minor: m[2] === undefined ? undefined : Number(m[2]) };
}

export function showVer(v: Ver): string {
  return v.minor === undefined ? `${v.major}` : `${v.major}.${v.minor}`;
}

/** -1, 0, 1; a missing minor compares equal to any minor of the same major. */
function cmpVer(a: Ver, b: Ver): number {
  if (a.major !== b.major) return a.major < b.major ? -1 : 1;
  if (a.minor === undefined || b.minor === undefined || a.minor === b.minor) return 0;
  return a.minor < b.minor ? -1 : 1;
}

/* ------------------------------------------------------------------------------------------------------------- */
/* The tensorflow table                                                                                           */

export interface TfBuild {
  /** The version the table lists: `2.16.1`. */
  tensorflow: string;
  /** major.minor: `2.16`. */
  series: string;
  python: { min: string; max: string };
  cuda: string;
  cudnn: string;
}

export const TF_BUILDS: readonly TfBuild[] = tfData.builds.map((b) => ({
  ...b,
  series: b.tensorflow.split('.').slice(0, 2).join('.'),
}));
/** The first tensorflow with the `[and-cuda]` extra. */
export const AND_CUDA_SINCE: string = tfData.andCuda.since;

/** The tested configuration of a tensorflow version's minor series, if the table has it. */
export function tfBuild(version: string): TfBuild | undefined {
  const v = parseVer(version);
  if (!v || v.minor === undefined) return undefined;
  return TF_BUILDS.find((b) => b.series === `${v.major}.${v.minor}`);
}

/* ------------------------------------------------------------------------------------------------------------- */
/* Images                                                                                                         */

export interface ImageCuda {
  /** gpu: the image carries CUDA (its version may be unknown); cpu: it does not; unknown: cannot tell. */
  kind: 'gpu' | 'cpu' | 'unknown';
  cuda?: Ver;
  cudnn?: Ver;
}

/**
 * Read CUDA and cuDNN from an image reference. Azure ML base images name them in the repository
 * (`azureml/openmpi4.1.0-cuda11.8-cudnn8-ubuntu22.04`); nvidia/cuda in the tag (`12.2.2-cudnn8-runtime-ubuntu22.04`).
 * An Azure ML base image without `cuda` is a CPU image; so are the official python/OS images. Any other image
 * without a hint is `unknown` (a team's own base image may well carry CUDA), and no CPU/GPU finding is made for it.
 */
export function imageCuda(image: string): ImageCuda {
  const ref = parseImageRef(image);
  const repo = ref.repository.toLowerCase();
  const tag = (ref.tag ?? '').toLowerCase();
  const text = `${repo}:${tag}`;
  const cudnnM = text.match(/cudnn[-_]?(\d+)(?:\.(\d+))?/);
  const cudnn = cudnnM
    ? { major: Number(cudnnM[1]), minor: cudnnM[2] === undefined ? undefined : Number(cudnnM[2]) }
    : undefined;
  const cudaM = text.match(/cuda[-_]?(\d+)(?:\.(\d+))?/);
  if (cudaM)
    return {
      kind: 'gpu',
      cuda: { major: Number(cudaM[1]), minor: cudaM[2] === undefined ? undefined : Number(cudaM[2]) },
      cudnn,
    };
  if (/(^|\/)cuda$/.test(repo)) {
    const v = tag.match(/^(\d+)\.(\d+)/);
    return { kind: 'gpu', cuda: v ? { major: Number(v[1]), minor: Number(v[2]) } : undefined, cudnn };
  }
  if (/gpu/.test(text) || cudnn) return { kind: 'gpu', cudnn };
  if (/cpu/.test(text)) return { kind: 'cpu' };
  const registry = (ref.registry ?? 'docker.io').toLowerCase();
  if (registry === 'mcr.microsoft.com' && repo.startsWith('azureml/')) return { kind: 'cpu' };
  if (
    registry === 'docker.io' &&
    /^(library\/)?(python|ubuntu|debian|alpine|busybox|continuumio\/miniconda3|condaforge\/miniforge3|tensorflow\/tensorflow)$/.test(
      repo,
    )
  )
    return { kind: 'cpu' };
  return { kind: 'unknown' };
}

/* ------------------------------------------------------------------------------------------------------------- */
/* GPU sizes                                                                                                      */

export interface GpuSize {
  size: string;
  series: string;
  gpu: string;
  architecture: string;
  /** GPUs per VM (fractions for partitioned GPUs). */
  gpus: number;
  computeCapability: string;
  cudaMin?: string;
  cudaMaxMajor?: number;
  retired?: boolean;
}

interface GpuModel {
  architecture: string;
  computeCapability: string;
  cudaMin?: string;
  cudaMaxMajor?: number;
}

const GPU_SIZES: ReadonlyMap<string, GpuSize> = new Map(
  gpuData.series.flatMap((s) =>
    Object.entries(s.sizes).map(([size, gpus]): [string, GpuSize] => {
      const model = (gpuData.gpus as Record<string, GpuModel>)[s.gpu]!;
      const retired = (s as { retired?: boolean }).retired;
      return [
        size.toLowerCase(),
        { size, series: s.series, gpu: s.gpu, gpus, ...model, ...(retired ? { retired } : {}) },
      ];
    }),
  ),
);

/** The GPU of an Azure VM size, if the table knows it (case-insensitive). */
export function gpuForSize(size: string): GpuSize | undefined {
  return GPU_SIZES.get(size.trim().toLowerCase());
}

/** A CPU size: not in the GPU table and not of the N-series (NC, ND, NV). */
export function isCpuSize(size: string): boolean {
  return gpuForSize(size) === undefined && !/^Standard_N[CDV]/i.test(size.trim());
}

/* ------------------------------------------------------------------------------------------------------------- */
/* What an environment pins                                                                                       */

export interface TfPin {
  dep: Dependency;
  /** The version named (x.y.z, or x.y for a partial pin); undefined for a range or no version. */
  version?: string;
  /** `tensorflow`, `tensorflow-gpu` or `tensorflow-cpu`. */
  flavour: 'tensorflow' | 'tensorflow-gpu' | 'tensorflow-cpu';
  /** The `[and-cuda]` extra was asked for. */
  andCuda: boolean;
}

/** A marker that keeps a requirement off Linux (Azure ML runs Linux). */
function notOnLinux(dep: Dependency): boolean {
  const m = dep.marker;
  if (!m) return false;
  return (
    /(sys_platform|platform_system)\s*==\s*["'](darwin|win32|windows|cygwin)["']/i.test(m) ||
    /(sys_platform|platform_system)\s*!=\s*["']linux["']/i.test(m)
  );
}

/**
 * The tensorflow an environment installs: the last of `tensorflow`, `tensorflow-gpu`, `tensorflow-cpu` (pip comes
 * after conda, and pip's install wins). Nightlies (`tf-nightly*`) and platform builds (`tensorflow-macos`) are ignored.
 */
export function findTensorflow(deps: readonly Dependency[]): TfPin | undefined {
  let found: TfPin | undefined;
  for (const dep of deps) {
    if (dep.kind !== 'package' || notOnLinux(dep)) continue;
    if (dep.key !== 'tensorflow' && dep.key !== 'tensorflow-gpu' && dep.key !== 'tensorflow-cpu') continue;
    const version = dep.constraint === 'exact' || dep.constraint === 'fuzzy' ? dep.version : undefined;
    found = { dep, version, flavour: dep.key, andCuda: dep.extras.some((e) => e.toLowerCase() === 'and-cuda') };
  }
  return found;
}

/** The python series (3.10) an environment pins, if it names one. */
export function findPython(deps: readonly Dependency[]): { dep: Dependency; series: string } | undefined {
  const dep = [...deps]
    .reverse()
    .find((d) => d.kind === 'package' && d.key === 'python' && (d.constraint === 'exact' || d.constraint === 'fuzzy'));
  const v = parseVer(dep?.version);
  if (!dep || !v || v.minor === undefined) return undefined;
  return { dep, series: showVer(v) };
}

/** CUDA / cuDNN that the environment's packages install (conda cudatoolkit, pip nvidia-* wheels). */
export interface PackageCuda {
  cuda?: { ver: Ver; dep: Dependency };
  cudnn?: { ver: Ver; dep: Dependency };
}

const CONDA_CUDA = new Set(['cudatoolkit', 'cuda-version', 'cuda-toolkit', 'cuda-runtime', 'cuda-cudart']);

export function findPackageCuda(deps: readonly Dependency[]): PackageCuda {
  const out: PackageCuda = {};
  for (const dep of deps) {
    if (dep.kind !== 'package' || dep.version === undefined) continue;
    const ver = parseVer(dep.version);
    if (!ver) continue;
    if ((dep.manager === 'conda' && CONDA_CUDA.has(dep.key)) || /^nvidia-cuda-runtime-cu1\d$/.test(dep.key))
      out.cuda = { ver, dep };
    else if ((dep.manager === 'conda' && dep.key === 'cudnn') || /^nvidia-cudnn-cu1\d$/.test(dep.key))
      out.cudnn = { ver, dep };
  }
  return out;
}

/** Everything about one environment that the CUDA checks need. */
export interface EnvCudaFacts {
  /** `name:version` for messages. */
  label: string;
  tf?: TfPin;
  python?: { dep: Dependency; series: string };
  /** The base image: `image:`, or the final FROM of a build context. */
  image?: { ref: string; location: DependencyLocation; cuda: ImageCuda };
  packages: PackageCuda;
}

/** The tested configuration for the environment's tensorflow, when it is a GPU-capable one the table knows. */
function tfRow(facts: EnvCudaFacts): TfBuild | undefined {
  const tf = facts.tf;
  if (!tf || tf.version === undefined || tf.flavour === 'tensorflow-cpu') return undefined;
  return tfBuild(tf.version);
}

function andCudaWorks(tf: TfPin | undefined): boolean {
  if (!tf || !tf.andCuda || tf.dep.manager !== 'pip' || tf.flavour !== 'tensorflow') return false;
  const v = parseVer(tf.version);
  const since = parseVer(AND_CUDA_SINCE)!;
  return v !== undefined && v.minor !== undefined && cmpVer(v, since) >= 0;
}

/** One of CUDA / cuDNN as the environment's tensorflow will find it, and where the user changes it. */
export interface CudaSource {
  ver: Ver;
  /** For messages: `the image …`, `` `cudatoolkit=11.8.0` ``, `` `tensorflow[and-cuda]==2.15.0` (pip installs it) ``. */
  from: string;
  location: DependencyLocation;
  source: 'image' | 'package' | 'and-cuda';
}

export interface EffectiveCuda {
  cuda?: CudaSource;
  cudnn?: CudaSource;
  /** pip's tensorflow[and-cuda] installs CUDA itself (its version is known only when the table has the release). */
  andCuda: boolean;
}

/**
 * The CUDA and cuDNN the environment will run with: an explicit package pin (conda cudatoolkit / cuda-version /
 * cudnn, pip nvidia-cuda-runtime-cu1x / nvidia-cudnn-cu1x) wins, then what tensorflow[and-cuda] installs, then the
 * image's. Conda's tensorflow brings its own cudatoolkit, so the image is not consulted for it.
 */
export function effectiveCuda(facts: EnvCudaFacts): EffectiveCuda {
  const row = tfRow(facts);
  const tf = facts.tf;
  const andCuda = andCudaWorks(tf);
  const img = facts.image?.cuda.kind === 'gpu' && tf?.dep.manager !== 'conda' ? facts.image : undefined;
  const pick = (
    pkg: { ver: Ver; dep: Dependency } | undefined,
    rowVal: string | undefined,
    imgVal: Ver | undefined,
  ): CudaSource | undefined => {
    if (pkg) return { ver: pkg.ver, from: quote(pkg.dep.text), location: pkg.dep.location, source: 'package' };
    if (andCuda)
      return rowVal
        ? {
            ver: parseVer(rowVal)!,
            from: `${quote(tf!.dep.text)} (pip installs it)`,
            location: tf!.dep.location,
            source: 'and-cuda',
          }
        : undefined;
    if (img && imgVal)
      return { ver: imgVal, from: `the image ${quote(img.ref)}`, location: img.location, source: 'image' };
    return undefined;
  };
  return {
    cuda: pick(facts.packages.cuda, row?.cuda, img?.cuda.cuda),
    cudnn: pick(facts.packages.cudnn, row?.cudnn, img?.cuda.cudnn),
    andCuda,
  };
}

/* ------------------------------------------------------------------------------------------------------------- */
/* Checks                                                                                                         */

/** Short citation for messages; the full source is in data/tf-cuda.json. */
const CITE = 'tensorflow.org, tested build configurations';

function finding(severity: Severity, at: DependencyLocation, message: string): Finding {
  const f: Finding = { rule: 'env/cuda-mismatch', severity, file: at.file, line: at.line, message, source: 'files' };
  if (at.column !== undefined) f.column = at.column;
  return f;
}

function seriesList(rows: readonly TfBuild[]): string {
  const s = [...new Set(rows.map((r) => r.series))].sort((a, b) => cmpVer(parseVer(a)!, parseVer(b)!));
  if (s.length === 0) return '';
  return s.length === 1 ? s[0]! : `${s[0]}–${s[s.length - 1]}`;
}

/** Table rows whose CUDA matches `cuda` (same major.minor when known, else same major). */
function rowsFor(cuda: Ver): TfBuild[] {
  const exact = TF_BUILDS.filter(
    (r) =>
      cmpVer(parseVer(r.cuda)!, cuda) === 0 && (cuda.minor === undefined || parseVer(r.cuda)!.minor === cuda.minor),
  );
  return exact.length ? exact : TF_BUILDS.filter((r) => parseVer(r.cuda)!.major === cuda.major);
}

/**
 * Environment-level checks: tensorflow against the CUDA/cuDNN it will find, tensorflow against python, and
 * tensorflow-gpu / [and-cuda] pins that cannot work.
 *
 * With `tensorflow[and-cuda]` (tensorflow ≥ 2.14, pip) pip installs the CUDA and cuDNN tensorflow was built with,
 * so the image's CUDA does not matter to tensorflow (the compute's GPU still does: see checkGpuCompute). Conda's
 * tensorflow packages bring their own cudatoolkit too, so they are not compared with the image either.
 */
export function checkTfCuda(facts: EnvCudaFacts): Finding[] {
  const out: Finding[] = [];
  const tf = facts.tf;
  if (!tf) return out;
  const v = parseVer(tf.version);

  if (
    tf.flavour === 'tensorflow-gpu' &&
    tf.dep.manager === 'pip' &&
    (v === undefined || v.minor === undefined || cmpVer(v, { major: 2, minor: 12 }) >= 0)
  ) {
    out.push(
      finding(
        'error',
        tf.dep.location,
        `${quote(tf.dep.text)}: the tensorflow-gpu package was retired after 2.11 (from 2.12 on it is an empty package that fails to install, pypi.org/project/tensorflow-gpu); install tensorflow instead (it has GPU support), e.g. tensorflow[and-cuda]==<x.y.z>`,
      ),
    );
    return out;
  }
  if (
    tf.andCuda &&
    tf.dep.manager === 'pip' &&
    v !== undefined &&
    v.minor !== undefined &&
    cmpVer(v, parseVer(AND_CUDA_SINCE)!) < 0
  ) {
    out.push(
      finding(
        'warning',
        tf.dep.location,
        `${quote(tf.dep.text)}: tensorflow ${tf.version} has no [and-cuda] extra (it starts with ${AND_CUDA_SINCE}), so pip installs no CUDA and tensorflow uses the image's; drop the extra, or move to tensorflow ${AND_CUDA_SINCE} or newer`,
      ),
    );
  }

  const row = tfRow(facts);
  if (!row) return out;
  const shown = `tensorflow ${tf.version}`;

  // Python: the table's range is the range of python versions tensorflow publishes wheels for.
  if (facts.python && tf.dep.manager === 'pip') {
    const py = parseVer(facts.python.series)!;
    const min = parseVer(row.python.min)!;
    const max = parseVer(row.python.max)!;
    if (cmpVer(py, min) < 0 || cmpVer(py, max) > 0) {
      const fits = TF_BUILDS.filter(
        (r) => cmpVer(py, parseVer(r.python.min)!) >= 0 && cmpVer(py, parseVer(r.python.max)!) <= 0,
      );
      const other = fits.length
        ? ` or a tensorflow that supports python ${facts.python.series} (${seriesList(fits)})`
        : '';
      out.push(
        finding(
          'error',
          facts.python.dep.location,
          `tensorflow ${row.series} has no wheels for python ${facts.python.series} (it supports python ${row.python.min}–${row.python.max}), so installing ${quote(tf.dep.text)} fails; pin a python in that range (python=${row.python.max}.<patch>)${other} (${CITE})`,
        ),
      );
    }
  }

  // CUDA: only pip's tensorflow uses the CUDA it finds; [and-cuda] brings the one it was built with.
  if (tf.dep.manager !== 'pip') return out;
  const eff = effectiveCuda(facts);
  const need = parseVer(row.cuda)!;
  const needDnn = parseVer(row.cudnn)!;
  const andCuda =
    cmpVer(v!, parseVer(AND_CUDA_SINCE)!) >= 0
      ? `, or install tensorflow[and-cuda]==${tf.version} so pip brings CUDA ${row.cuda} and cuDNN ${row.cudnn} itself`
      : '';
  const cuda = eff.cuda?.source === 'and-cuda' ? undefined : eff.cuda;
  const cudnn = eff.cudnn?.source === 'and-cuda' ? undefined : eff.cudnn;
  if (cuda && cuda.ver.major !== need.major) {
    const fit = rowsFor(cuda.ver);
    const alt = fit.length ? `, pin a tensorflow built for CUDA ${showVer(cuda.ver)} (${seriesList(fit)})` : '';
    out.push(
      finding(
        'error',
        cuda.location,
        `${shown} is built for CUDA ${row.cuda} and cuDNN ${row.cudnn}, but ${cuda.from} has CUDA ${showVer(cuda.ver)}: a different CUDA major version, so tensorflow cannot load the GPU and silently runs on the CPU; use CUDA ${need.major}.x (Azure ML base images name it: …-cuda${row.cuda}-cudnn${needDnn.major}-…)${alt}${andCuda} (${CITE})`,
      ),
    );
  } else if (cuda && cuda.ver.minor !== undefined && cuda.ver.minor !== need.minor) {
    out.push(
      finding(
        'warning',
        cuda.location,
        `${shown} was tested with CUDA ${row.cuda}, and ${cuda.from} has CUDA ${showVer(cuda.ver)}: CUDA's minor-version compatibility usually makes this work, but it is not the tested pair; use CUDA ${row.cuda} (…-cuda${row.cuda}-…)${andCuda} (${CITE})`,
      ),
    );
  }
  if (cudnn && cudnn.ver.major !== needDnn.major) {
    out.push(
      finding(
        'error',
        cudnn.location,
        `${shown} needs cuDNN ${needDnn.major} (tested with ${row.cudnn}), but ${cudnn.from} has cuDNN ${showVer(cudnn.ver)}, so tensorflow cannot load its GPU kernels; use cuDNN ${needDnn.major} (…-cudnn${needDnn.major}-…)${andCuda} (${CITE})`,
      ),
    );
  }
  return out;
}

export interface ComputeTarget {
  /** `compute gpu-cluster (Standard_NC6s_v3)` or `serverless Standard_NC6s_v3`, for messages. */
  label: string;
  size: string;
  /** Where the job names it. */
  location: DependencyLocation;
}

/**
 * Job-level checks: the environment's CUDA against the GPU of the compute the job runs on, and GPU images or
 * GPU computes that the other side cannot use.
 */
export function checkGpuCompute(facts: EnvCudaFacts, compute: ComputeTarget): Finding[] {
  const out: Finding[] = [];
  const gpu = gpuForSize(compute.size);
  const eff = effectiveCuda(facts);
  const env = `environment ${facts.label}`;
  const tf = facts.tf;
  if (gpu) {
    const what = `${compute.label} has ${gpu.gpu} GPUs (compute capability ${gpu.computeCapability})`;
    const cuda = eff.cuda;
    const min = parseVer(gpu.cudaMin);
    if (
      cuda &&
      min &&
      (cuda.ver.major < min.major ||
        (cuda.ver.major === min.major &&
          cuda.ver.minor !== undefined &&
          min.minor !== undefined &&
          cuda.ver.minor < min.minor))
    ) {
      const newer = seriesList(
        TF_BUILDS.filter(
          (r) =>
            cmpVer(parseVer(r.cuda)!, min) >= 0 &&
            !(parseVer(r.cuda)!.major === min.major && (parseVer(r.cuda)!.minor ?? 0) < (min.minor ?? 0)),
        ),
      );
      out.push(
        finding(
          'error',
          compute.location,
          `${what}, which need CUDA ${gpu.cudaMin} or newer, but ${env} runs CUDA ${showVer(cuda.ver)} (${cuda.from}), which cannot run on them; move the environment to CUDA ${gpu.cudaMin} or newer${newer ? ` (tensorflow ${newer} is built for such a CUDA)` : ''}, or run on a compute whose GPUs CUDA ${showVer(cuda.ver)} supports`,
        ),
      );
    } else if (cuda && gpu.cudaMaxMajor !== undefined && cuda.ver.major > gpu.cudaMaxMajor) {
      out.push(
        finding(
          'error',
          compute.location,
          `${what}, which CUDA ${gpu.cudaMaxMajor + 1} and newer no longer support, but ${env} runs CUDA ${showVer(cuda.ver)} (${cuda.from}); ${gpu.retired ? `the ${gpu.series} series is also retired on Azure, so ` : ''}move the compute to a newer GPU size (e.g. Standard_NC4as_T4_v3 or Standard_NC24ads_A100_v4), or use CUDA ${gpu.cudaMaxMajor}.x with a tensorflow built for it`,
        ),
      );
    }
    if (tf?.flavour === 'tensorflow-cpu') {
      out.push(
        finding(
          'warning',
          compute.location,
          `${compute.label} has ${gpu.gpu} GPUs, but ${env} installs ${quote(tf.dep.text)}, which never uses a GPU: you pay for the GPU and train on the CPU; install tensorflow instead (tensorflow[and-cuda]==<x.y.z>), or run on a CPU size`,
        ),
      );
    } else if (tf && tf.dep.manager === 'pip' && !eff.cuda && !eff.andCuda && facts.image?.cuda.kind === 'cpu') {
      out.push(
        finding(
          'warning',
          compute.location,
          `${compute.label} has ${gpu.gpu} GPUs, but ${env} is built on ${quote(facts.image.ref)}, a CPU image without CUDA, and installs ${quote(tf.dep.text)} without [and-cuda]: tensorflow finds no CUDA and the GPU stays idle while you pay for it; use a CUDA base image that matches tensorflow, or install tensorflow[and-cuda]==<x.y.z> (${AND_CUDA_SINCE} or newer), or run on a CPU size`,
        ),
      );
    }
  } else if (isCpuSize(compute.size) && facts.image?.cuda.kind === 'gpu') {
    const cuda = facts.image.cuda.cuda ? ` (CUDA ${showVer(facts.image.cuda.cuda)})` : '';
    out.push(
      finding(
        'warning',
        compute.location,
        `${compute.label} has no GPU, but ${env} is built on the GPU image ${quote(facts.image.ref)}${cuda}: either the job should run on a GPU size (e.g. Standard_NC4as_T4_v3), or the environment should use a CPU image and stop pulling CUDA layers it cannot use`,
      ),
    );
  }
  return out;
}
