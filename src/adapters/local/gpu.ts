/**
 * The facts `tfaml doctor` judges (src/gpu/doctor.ts): what nvidia-smi says, where each CUDA 11 library is, and
 * whether the native tfjs packages load. Each native package is tried in a child process, so a package that crashes
 * on load (a missing library can abort the process) cannot take the doctor down with it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CUDA11_LIBRARIES, parseNvidiaSmi, type GpuFacts, type PackageState } from '../../gpu/doctor.js';

/** tfaml's own folder for the CUDA 11 runtime: TFAML_CUDA_LIBS, else the runner's tool cache, else the user cache. */
export function cudaLibraryDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TFAML_CUDA_LIBS) return env.TFAML_CUDA_LIBS;
  if (env.RUNNER_TOOL_CACHE) return path.join(env.RUNNER_TOOL_CACHE, 'tfaml', 'cuda11');
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'tfaml', 'cuda11');
}

const SYSTEM_DIRS = ['/usr/local/cuda/lib64', '/usr/lib/x86_64-linux-gnu', '/usr/lib64', '/usr/lib'];

/**
 * The lib folders of NVIDIA's wheels installed with `pip install --target <dir>` (actions/train does it): each wheel
 * puts its libraries in <dir>/nvidia/<component>/lib.
 */
function wheelLibDirs(dir: string): string[] {
  try {
    return readdirSync(path.join(dir, 'nvidia'), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => path.join(dir, 'nvidia', e.name, 'lib'))
      .filter((d) => existsSync(d))
      .sort();
  } catch {
    return []; // nothing installed there
  }
}

function packageState(pkg: string, cwd: string): PackageState {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(pkg)})`], {
    cwd,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.status === 0) return { state: 'loads' };
  const err = `${r.stderr ?? ''}`;
  if (/ERR_MODULE_NOT_FOUND|Cannot find (package|module)/.test(err) && err.includes(pkg)) return { state: 'absent' };
  const why = err
    .split('\n')
    .map((l) => l.trim())
    .find((l) => /error|cannot|fail/i.test(l));
  return { state: 'fails', why: why ?? (r.signal ? `killed by ${r.signal}` : `exit ${r.status}`) };
}

export function gatherGpuFacts(projectRoot: string, env: NodeJS.ProcessEnv = process.env): GpuFacts {
  const smi = spawnSync(
    'nvidia-smi',
    ['--query-gpu=name,driver_version,memory.total', '--format=csv,noheader,nounits'],
    {
      encoding: 'utf8',
      env,
      timeout: 30_000,
    },
  );
  const noSmi = (smi.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
  const libraryDir = cudaLibraryDir(env);
  const searched = [
    ...(env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean),
    ...wheelLibDirs(libraryDir),
    path.join(libraryDir, 'lib'),
    ...SYSTEM_DIRS,
  ];
  const libraries: GpuFacts['libraries'] = {};
  for (const l of CUDA11_LIBRARIES) {
    const dir = searched.find((d) => existsSync(path.join(d, l.file)));
    libraries[l.file] = dir ? path.join(dir, l.file) : undefined;
  }
  return {
    ...(noSmi
      ? {}
      : smi.status === 0
        ? { gpus: parseNvidiaSmi(smi.stdout) }
        : { smiError: (smi.stderr || smi.stdout || `exit ${smi.status}`).trim().split('\n')[0] }),
    libraries,
    searched,
    libraryDir,
    packages: {
      'tfjs-node-gpu': packageState('@tensorflow/tfjs-node-gpu', projectRoot),
      'tfjs-node': packageState('@tensorflow/tfjs-node', projectRoot),
    },
  };
}
