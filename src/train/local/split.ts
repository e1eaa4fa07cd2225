/** The deterministic train/validation split: the same seed and files give the same split on every machine. Pure. */

/** mulberry32: a tiny seeded PRNG, identical in every JavaScript engine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates with a seeded PRNG; returns a new array. */
export function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export interface Example {
  /** Path relative to the data folder, forward slashes. */
  file: string;
  label: number;
}

/**
 * Stratified: each class is sorted by path, shuffled with the seed, and its first round(n × fraction) go to
 * validation (at least one when the class has two or more images and fraction > 0), so every class is measured.
 */
export function splitExamples(
  examples: readonly Example[],
  fraction: number,
  seed: number,
): { train: Example[]; validation: Example[] } {
  const byClass = new Map<number, Example[]>();
  for (const e of examples) byClass.set(e.label, [...(byClass.get(e.label) ?? []), e]);
  const train: Example[] = [];
  const validation: Example[] = [];
  for (const label of [...byClass.keys()].sort((a, b) => a - b)) {
    const sorted = byClass.get(label)!.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    const mixed = shuffle(sorted, prng(seed * 31 + label));
    let n = Math.round(mixed.length * fraction);
    if (fraction > 0 && n === 0 && mixed.length >= 2) n = 1;
    if (n >= mixed.length) n = mixed.length - 1;
    validation.push(...mixed.slice(0, n));
    train.push(...mixed.slice(n));
  }
  return { train, validation };
}
