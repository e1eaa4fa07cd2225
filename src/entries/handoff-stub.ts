/** What every dynamic import in dist/validate.cjs resolves to (scripts/build.mjs; handoff.ts says why). */
import { HandOff } from './handoff.js';

throw new HandOff('a module validate loads on demand');
