/** Image decoding without native TensorFlow, and the class folders. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/core/errors.js';
import { decodeImage, listDataset } from '../../src/train/local/images.js';
import { tempDir } from '../helpers/project.js';

function rgba(w: number, h: number, r: number, g: number, b: number): Buffer {
  const d = Buffer.alloc(w * h * 4);
  for (let i = 0; i < w * h; i++) d.set([r, g, b, 255], i * 4);
  return d;
}

describe('decodeImage', () => {
  it('decodes png and jpeg of any size by content, to RGB', () => {
    const png = new PNG({ width: 3, height: 2 });
    rgba(3, 2, 10, 20, 30).copy(png.data);
    const p = decodeImage(PNG.sync.write(png));
    expect([p.width, p.height, p.rgb.length, ...p.rgb.slice(0, 3)]).toEqual([3, 2, 18, 10, 20, 30]);
    const j = decodeImage(Buffer.from(jpeg.encode({ width: 17, height: 9, data: rgba(17, 9, 200, 100, 50) }, 95).data));
    expect([j.width, j.height, j.rgb.length]).toEqual([17, 9, 17 * 9 * 3]);
    expect(Math.abs(j.rgb[0]! - 200)).toBeLessThan(8);
  });

  it.each([
    ['text', Buffer.from('hello'), 'neither png nor jpeg'],
    ['a truncated png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]), /./],
  ])('%s is an error', (_n, bytes, message) => expect(() => decodeImage(bytes)).toThrow(message));
});

describe('listDataset', () => {
  it('one class per subfolder, sorted; png and jpeg at any depth; other files ignored', () => {
    const dir = tempDir();
    for (const f of ['b/x.jpg', 'b/deep/y.PNG', 'a/z.jpeg', 'a/notes.txt']) {
      mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      writeFileSync(path.join(dir, f), '');
    }
    expect(listDataset(dir, 'data')).toEqual({
      classes: ['a', 'b'],
      examples: [
        { file: 'a/z.jpeg', label: 0 },
        { file: 'b/deep/y.PNG', label: 1 },
        { file: 'b/x.jpg', label: 1 },
      ],
    });
  });

  it('no class folders at all', () => {
    expect(() => listDataset(tempDir(), 'data')).toThrow(ConfigurationError);
    expect(() => listDataset(tempDir(), 'data')).toThrow(
      'the data folder data has no class folders; a classifier needs a folder per class',
    );
  });
});
