/**
 * The order of paths in a folder hash (hash.ts): byte order of their UTF-8 encodings. The walk (walk.ts) sorts each
 * folder with it, a folder keyed as `name/`, which gives byte order of whole paths without sorting them all at once.
 */

/** Byte order of the UTF-8 encodings, i.e. code point order (UTF-16 code unit order differs above U+D7FF). */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return x >= 0xd800 && y >= 0xd800 ? codePointRank(x) - codePointRank(y) : x - y;
  }
  return a.length - b.length;
}

/** Surrogates (U+D800-DFFF, i.e. code points above U+FFFF) rank after U+E000-FFFF. */
function codePointRank(unit: number): number {
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}
