/** Every verb, in the order `tfaml --help` and the root action.yml list them. */
import { AUDIT } from './audit.js';
import { COST } from './cost.js';
import { DOCTOR } from './doctor.js';
import { INIT } from './init.js';
import { LOCK } from './lock.js';
import { MODELS } from './models.js';
import { PROMOTE } from './promote.js';
import { REPORT } from './report.js';
import type { VerbSpec } from './spec.js';
import { TRAIN } from './train.js';
import { VALIDATE } from './validate.js';

export type { VerbSpec } from './spec.js';

export const VERBS: readonly VerbSpec[] = [VALIDATE, LOCK, TRAIN, MODELS, PROMOTE, COST, AUDIT, REPORT, INIT, DOCTOR];

/** The inputs the command reads (its CLI flags): all but those only the composite action's own steps read. */
export function commandInputs(verb: VerbSpec): string[] {
  return Object.entries(verb.inputs)
    .filter(([, i]) => !i.actionOnly)
    .map(([n]) => n);
}
