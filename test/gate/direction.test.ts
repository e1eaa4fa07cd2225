import { describe, expect, it } from 'vitest';
import { directionOf } from '../../src/gate/direction.js';

describe('directionOf', () => {
  it.each([
    ['accuracy', 'higher', true],
    ['val_accuracy', 'higher', true],
    ['precision', 'higher', true],
    ['class.daisy.recall', 'higher', true],
    ['f1', 'higher', true],
    ['auc', 'higher', true],
    ['loss', 'lower', true],
    ['val_loss', 'lower', true],
    ['latency_p50_ms', 'lower', true],
    ['latency_p95_ms', 'lower', true],
    ['model_bytes', 'lower', true],
    ['top1_error', 'lower', true], // lower wins over higher
    ['inference_time_s', 'lower', true],
    ['rmse', 'lower', true],
    ['dogginess', 'higher', false], // unknown: higher assumed, and said
  ] as const)('%s: %s is better (known: %s)', (metric, direction, known) => {
    expect(directionOf(metric)).toEqual({ direction, known });
  });
});
