// Makes examples/data/flowers: two classes of small, deterministic PNG "photos" (64x64), so the example project
// has real image files to lock, hash and (later) train on, with no download. Re-running writes identical bytes.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';

const out = path.resolve(process.argv[2] ?? 'examples/data/flowers');
const SIZE = 64;
const PER_CLASS = 12;

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function png(rgb) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(SIZE, 0);
  ihdr.writeUInt32BE(SIZE, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour
  const raw = Buffer.alloc((SIZE * 3 + 1) * SIZE);
  for (let y = 0; y < SIZE; y++) {
    raw[y * (SIZE * 3 + 1)] = 0;
    rgb.copy(raw, y * (SIZE * 3 + 1) + 1, y * SIZE * 3, (y + 1) * SIZE * 3);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
function rng(seed) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 4294967296;
}

// daisy: a white-petalled disc with a yellow centre on green; tulips: red cups on a darker green.
function daisy(r) {
  const px = Buffer.alloc(SIZE * SIZE * 3);
  const cx = 24 + r() * 16,
    cy = 24 + r() * 16,
    rad = 14 + r() * 8;
  for (let y = 0; y < SIZE; y++)
    for (let x = 0; x < SIZE; x++) {
      const d = Math.hypot(x - cx, y - cy),
        i = (y * SIZE + x) * 3,
        n = r() * 30;
      const c = d < rad * 0.35 ? [230, 190, 30] : d < rad ? [235, 235, 225] : [60, 140, 50];
      px[i] = Math.min(255, c[0] + n);
      px[i + 1] = Math.min(255, c[1] + n);
      px[i + 2] = Math.min(255, c[2] + n);
    }
  return px;
}
function tulips(r) {
  const px = Buffer.alloc(SIZE * SIZE * 3);
  const cups = Array.from({ length: 3 }, () => [8 + r() * 48, 10 + r() * 30, 6 + r() * 4]);
  for (let y = 0; y < SIZE; y++)
    for (let x = 0; x < SIZE; x++) {
      const i = (y * SIZE + x) * 3,
        n = r() * 30;
      const inCup = cups.some(([cx, cy, w]) => Math.abs(x - cx) < w && y > cy && y < cy + w * 1.6);
      const stem = cups.some(([cx, cy, w]) => Math.abs(x - cx) < 1.5 && y >= cy + w * 1.6);
      const c = inCup ? [200, 30, 50] : stem ? [40, 110, 30] : [30, 80, 35];
      px[i] = Math.min(255, c[0] + n);
      px[i + 1] = Math.min(255, c[1] + n);
      px[i + 2] = Math.min(255, c[2] + n);
    }
  return px;
}

rmSync(out, { recursive: true, force: true });
for (const [name, draw, seed] of [
  ['daisy', daisy, 1],
  ['tulips', tulips, 2],
]) {
  mkdirSync(path.join(out, name), { recursive: true });
  const r = rng(seed);
  for (let k = 0; k < PER_CLASS; k++)
    writeFileSync(path.join(out, name, `${name}-${String(k + 1).padStart(2, '0')}.png`), png(draw(r)));
}
console.log(`wrote ${2 * PER_CLASS} images to ${out}`);
