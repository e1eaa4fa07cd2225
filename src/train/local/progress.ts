/** Progress lines: one per epoch with loss, accuracy and an ETA; images/s while extracting features. Pure. */

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** Remaining time from the mean of the epochs so far. */
export function eta(epochSeconds: readonly number[], remainingEpochs: number): number {
  if (epochSeconds.length === 0) return NaN;
  const mean = epochSeconds.reduce((a, b) => a + b, 0) / epochSeconds.length;
  return mean * remainingEpochs;
}

export interface EpochRecord {
  epoch: number;
  loss: number;
  accuracy: number;
  valLoss: number;
  valAccuracy: number;
  seconds: number;
}

export function epochLine(r: EpochRecord, epochs: number, etaSeconds: number): string {
  const w = String(epochs).length;
  return `epoch ${String(r.epoch).padStart(w)}/${epochs}  loss ${r.loss.toFixed(4)}  acc ${r.accuracy.toFixed(3)}  val_loss ${r.valLoss.toFixed(4)}  val_acc ${r.valAccuracy.toFixed(3)}  ${r.seconds.toFixed(2)}s  ETA ${formatDuration(etaSeconds)}`;
}

export function extractLine(done: number, total: number, seconds: number): string {
  const rate = seconds > 0 ? done / seconds : 0;
  return `features: ${done}/${total} images, ${rate.toFixed(1)} images/s, ETA ${formatDuration(rate > 0 ? (total - done) / rate : NaN)}`;
}
