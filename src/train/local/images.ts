/**
 * The image folder: one subfolder per class, png and jpeg decoded in JavaScript (pngjs, jpeg-js), never by native
 * TensorFlow. Decoding is per batch, so memory holds one batch of pixels whatever the size of the data set.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { ConfigurationError, errorMessage } from '../../core/errors.js';

const IMAGE = /\.(png|jpe?g)$/i;

export interface Dataset {
  /** Class names in label order (the subfolder names, sorted). */
  classes: string[];
  /** Paths relative to the data folder, with their label. */
  examples: { file: string; label: number }[];
}

/** `display` is the project-relative folder, for messages. */
export function listDataset(dir: string, display: string): Dataset {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    throw new ConfigurationError(
      `cannot read the data folder ${display} (${(err as NodeJS.ErrnoException).code ?? errorMessage(err)})`,
      { file: display },
    );
  }
  const classes = entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
  if (classes.length < 2) {
    throw new ConfigurationError(
      `the data folder ${display} has ${classes.length === 0 ? 'no class folders' : `a single class (${classes[0]})`}; a classifier needs a folder per class with at least two classes, e.g. ${display}/daisy/*.png and ${display}/tulips/*.png`,
      { file: display },
    );
  }
  const examples: Dataset['examples'] = [];
  const empty: string[] = [];
  classes.forEach((c, label) => {
    const files: string[] = [];
    const walk = (rel: string) => {
      for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
        const r = `${rel}/${e.name}`;
        if (e.isDirectory()) walk(r);
        else if (IMAGE.test(e.name) && (e.isFile() || statSync(path.join(dir, r)).isFile())) files.push(r);
      }
    };
    walk(c);
    if (files.length === 0) empty.push(`${display}/${c}`);
    for (const f of files.sort()) examples.push({ file: f, label });
  });
  if (empty.length > 0) {
    throw new ConfigurationError(
      `${empty.length === 1 ? 'a class folder has' : 'class folders have'} no png or jpeg images: ${empty.join(', ')}; add images or remove the folder`,
      { file: empty[0]! },
    );
  }
  return { classes, examples };
}

export interface Pixels {
  width: number;
  height: number;
  /** RGB, 3 bytes per pixel. */
  rgb: Uint8Array;
}

/** Decode a png or jpeg by its content (not its name). Throws with a reason on anything else. */
export function decodeImage(bytes: Buffer): Pixels {
  let rgba: Uint8Array;
  let width: number;
  let height: number;
  if (bytes.length >= 8 && bytes.readUInt32BE(0) === 0x89504e47) {
    const png = PNG.sync.read(bytes);
    ({ width, height } = png);
    rgba = png.data;
  } else if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 512 });
    ({ width, height } = img);
    rgba = img.data;
  } else {
    throw new Error('neither png nor jpeg');
  }
  if (width === 0 || height === 0) throw new Error('the image has no pixels');
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0, j = 0; i < width * height * 4; i += 4, j += 3) {
    rgb[j] = rgba[i]!;
    rgb[j + 1] = rgba[i + 1]!;
    rgb[j + 2] = rgba[i + 2]!;
  }
  return { width, height, rgb };
}

export function readImage(file: string): Pixels {
  return decodeImage(readFileSync(file));
}
