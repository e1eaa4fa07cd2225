/** Failures of a promotion that are verdicts, not bugs. */
import type { ChampionEvent } from '../ports.js';

/**
 * Another promotion changed the champion after this one read it (or holds the lock for too long). Nothing was
 * written; `winner` is the event that won, when known. promote reports it as the decision `lost` (exit 1).
 */
export class LostRaceError extends Error {
  override readonly name = 'LostRaceError';
  constructor(
    message: string,
    readonly winner?: ChampionEvent,
  ) {
    super(message);
  }
}
