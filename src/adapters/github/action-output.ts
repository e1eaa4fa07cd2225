/** The action's Output through @actions/core: annotations at file:line, the job summary, step outputs. */
import * as core from '@actions/core';
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
    print: (text) => process.stdout.write(text),
    annotate: (f, file) => {
      const props = { title: f.rule, file, startLine: f.line, startColumn: f.column };
      if (f.severity === 'error') core.error(f.message, props);
      else core.warning(f.message, props);
    },
    summary: async (markdown) => {
      if (!process.env.GITHUB_STEP_SUMMARY) return;
      await core.summary.addRaw(markdown, true).write();
    },
    setOutput: (name, value) => core.setOutput(name, value),
    mask: (secret) => core.setSecret(secret),
    log: {
      info: (m) => core.info(m),
      warning: (m) => core.warning(m),
      // A job log is not a terminal: at most one progress line every 10 seconds.
      progress: (m) => {
        const now = Date.now();
        if (now - lastProgress >= 10_000) {
          lastProgress = now;
          core.info(m);
        }
      },
    },
  };
}
