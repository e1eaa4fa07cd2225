/**
 * Frozen-base features, computed once per (model hash, data hash, preprocessing, cut point) and kept on disk, so
 * every epoch after the first trains only the head. Images are decoded, resized and run through the base one
 * batch at a time and each batch's features are appended to the cache file: memory holds one batch of pixels.
 * A cache entry is written to a hidden folder and renamed into place, so a killed run leaves no half entry.
 */
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { sha256 } from '../../core/canonical.js';
import { removeDeadWriters } from '../../core/fs.js';
import type { Log } from '../../core/ports.js';
import { readImage } from './images.js';
import { extractLine } from './progress.js';
import type { Tf } from './backend.js';
import type { Tensor } from '@tensorflow/tfjs';
import { CancelledError } from '../../core/errors.js';

export interface Preprocessing {
  /** [height, width] the base takes. */
  size: [number, number];
  /** Pixel scaling: 0..1 (what TF Hub image models expect). */
  scale: '0..1';
  resize: 'bilinear';
}

export interface FeatureKey {
  modelHash: string;
  dataHash: string;
  preprocessing: Preprocessing;
  /** Where the base is cut: `output`, or a layer name (layers models). */
  cut: string;
}

export interface FeatureSet {
  /** Shape of one example's features (e.g. [1280], or [7, 7, 320] under a top-N cut). */
  shape: number[];
  /** Files (relative to the data folder) in row order; unreadable ones are left out and listed in `bad`. */
  files: string[];
  bad: { file: string; reason: string }[];
  /** rows × prod(shape) floats. */
  data: Float32Array;
  fromCache: boolean;
  /** Seconds spent extracting (0 from the cache) and images per second. */
  seconds: number;
  imagesPerSecond: number;
}

export function featureKeyHash(k: FeatureKey): string {
  return sha256(JSON.stringify({ v: 1, ...k })).replace(/^sha256:/, '');
}

/** Run `extract` (images in 0..1, NHWC → features) over every file; cached under `cacheDir`. */
export async function computeFeatures(opts: {
  tf: Tf;
  key: FeatureKey;
  cacheDir: string;
  dataDir: string;
  files: string[];
  batchSize: number;
  extract: (x: Tensor) => Tensor;
  log?: Log;
  cancelled?: () => boolean;
}): Promise<FeatureSet> {
  const { tf, key } = opts;
  const dir = path.join(opts.cacheDir, featureKeyHash(key));
  const index = path.join(dir, 'index.json');
  if (existsSync(index)) {
    const meta = JSON.parse(readFileSync(index, 'utf8')) as Omit<
      FeatureSet,
      'data' | 'fromCache' | 'seconds' | 'imagesPerSecond'
    >;
    const buf = readFileSync(path.join(dir, 'features.f32'));
    const data = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
    return { ...meta, data, fromCache: true, seconds: 0, imagesPerSecond: 0 };
  }
  mkdirSync(opts.cacheDir, { recursive: true });
  // An extraction killed outright (SIGKILL) left its staging folder; nothing else would ever remove it.
  removeDeadWriters(opts.cacheDir, /^\.staging-(\d+)-[0-9a-f]+$/);
  const staging = path.join(opts.cacheDir, `.staging-${process.pid}-${randomBytes(4).toString('hex')}`);
  mkdirSync(staging);
  try {
    const fd = openSync(path.join(staging, 'features.f32'), 'w');
    const files: string[] = [];
    const bad: FeatureSet['bad'] = [];
    let shape: number[] | undefined;
    const started = Date.now();
    let lastLog = 0;
    try {
      const [h, w] = key.preprocessing.size;
      for (let i = 0; i < opts.files.length; i += opts.batchSize) {
        await new Promise((r) => setImmediate(r)); // let a SIGTERM handler run between batches
        if (opts.cancelled?.()) throw new CancelledError();
        const batch = opts.files.slice(i, i + opts.batchSize);
        const ok: { file: string; px: ReturnType<typeof readImage> }[] = [];
        for (const f of batch) {
          try {
            ok.push({ file: f, px: readImage(path.join(opts.dataDir, f)) });
          } catch (err) {
            bad.push({ file: f, reason: (err as NodeJS.ErrnoException).code ?? (err as Error).message });
          }
        }
        if (ok.length === 0) continue;
        const out = tf.tidy(() => {
          const x = tf.stack(
            ok.map(({ px }) =>
              tf.image.resizeBilinear(tf.tensor3d(px.rgb, [px.height, px.width, 3], 'int32'), [h, w]).div(255),
            ),
          );
          return opts.extract(x);
        });
        const values = (await out.data()) as Float32Array;
        shape ??= out.shape.slice(1);
        out.dispose();
        writeSync(fd, Buffer.from(values.buffer, values.byteOffset, values.byteLength));
        files.push(...ok.map((o) => o.file));
        const s = (Date.now() - started) / 1000;
        if (s - lastLog >= 2 || i + opts.batchSize >= opts.files.length) {
          lastLog = s;
          opts.log?.progress(extractLine(files.length + bad.length, opts.files.length, s));
        }
      }
    } finally {
      closeSync(fd);
    }
    const seconds = (Date.now() - started) / 1000;
    writeFileSync(path.join(staging, 'index.json'), JSON.stringify({ shape: shape ?? [], files, bad }));
    try {
      renameSync(staging, dir);
    } catch (err) {
      if (!existsSync(index)) throw err; // another run filled the same entry: same key, same content
    }
    const buf = readFileSync(path.join(dir, 'features.f32'));
    return {
      shape: shape ?? [],
      files,
      bad,
      data: new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength)),
      fromCache: false,
      seconds,
      imagesPerSecond: seconds > 0 ? (files.length + bad.length) / seconds : 0,
    };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
