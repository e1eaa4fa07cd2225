/**
 * The action's Output through @actions/core: annotations at file:line, the job summary, step outputs. Plain lines
 * go through inertLog (src/core/inert.ts); commands are @actions/core's, which escapes their data.
 */
import * as core from '@actions/core';
import { inertLog, redactSecrets } from '../../core/inert.js';
import type { Inputs, Output } from '../../core/io.js';

export { core };

export function actionInputs(): Inputs {
  return {
    get(name) {
      const v = core.getInput(name);
      return v === '' ? undefined : v;
    },
  };
}

export function actionOutput(): Output {
  let lastProgress = 0;
  return {
    mode: 'action',
    print: (text) => process.stdout.write(inertLog(text)),
    annotate: (f, file) => {
      const props = { title: f.rule, file, startLine: f.line, startColumn: f.column };
      if (f.severity === 'error') core.error(redactSecrets(f.message), props);
      else core.warning(redactSecrets(f.message), props);
    },
    summary: async (markdown) => {
      if (!process.env.GITHUB_STEP_SUMMARY) return;
      await core.summary.addRaw(markdown, true).write();
    },
    setOutput: (name, value) => core.setOutput(name, value),
    mask: (secret) => core.setSecret(secret),
    log: {
      info: (m) => core.info(inertLog(m)),
      warning: (m) => core.warning(redactSecrets(m)),
      // A job log is not a terminal: at most one progress line every 10 seconds.
      progress: (m) => {
        const now = Date.now();
        if (now - lastProgress >= 10_000) {
          lastProgress = now;
          core.info(inertLog(m));
        }
      },
    },
  };
}
