/** Did-you-mean: the nearest valid spelling of a word, for every error that names a choice. */
import { closest, distance } from 'fastest-levenshtein';

/** The nearest of `candidates` to `word`, if it is near enough to be a plausible typo. */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const best = closest(word, candidates as string[]);
  const limit = Math.max(2, Math.floor(Math.max(word.length, best.length) / 3));
  return distance(word.toLowerCase(), best.toLowerCase()) <= limit ? best : undefined;
}
