import { createRequire as __tfamlCreateRequire } from 'node:module'; const require = __tfamlCreateRequire(import.meta.url);
import {
  ConfigurationError,
  UsageError,
  nearest
} from "./chunk-ETCR5UQ5.js";

// src/main.ts
import path from "node:path";
import { parseArgs } from "node:util";

// src/adapters/local/cli-output.ts
function cliOutput(stdout = process.stdout, stderr = process.stderr) {
  let progressShown = false;
  const clear = () => {
    if (progressShown) {
      stderr.write("\r\x1B[2K");
      progressShown = false;
    }
  };
  return {
    mode: "cli",
    print: (text) => {
      clear();
      stdout.write(text);
    },
    annotate: () => {
    },
    summary: async () => {
    },
    setOutput: () => {
    },
    log: {
      info: (m) => {
        clear();
        stderr.write(`${m}
`);
      },
      warning: (m) => {
        clear();
        stderr.write(`warning: ${m}
`);
      },
      progress: (m) => {
        if (stderr.isTTY) {
          stderr.write(`\r\x1B[2K${m}`);
          progressShown = true;
        } else stderr.write(`${m}
`);
      }
    }
  };
}

// src/commands/index.ts
var COMMANDS = {
  validate: {
    summary: "check environments, data, the hub model pin, compute, stages and owners",
    inputs: ["config", "format", "base", "update-lock"],
    booleans: ["update-lock"],
    outputs: ["errors", "warnings", "report-json"],
    run: async (i, o) => (await import("./validate-HA3IMBQM.js")).validate(i, o)
  },
  lock: {
    summary: "write tfaml.lock: the content hash of every environment, data asset and hub model",
    inputs: ["config", "format", "force"],
    booleans: ["force"],
    outputs: ["lockfile", "changed"],
    run: async (i, o) => (await import("./lock-CA4JJ3GE.js")).lock(i, o)
  }
};
var COMMAND_NAMES = Object.keys(COMMANDS);

// src/main.ts
var VERSION = "0.1.0";
function findCommand(name) {
  if (!name) throw new UsageError(`no command given; use one of ${COMMAND_NAMES.join(", ")}`);
  const cmd = COMMANDS[name];
  if (!cmd) {
    const near = nearest(name, COMMAND_NAMES);
    throw new UsageError(`unknown command ${JSON.stringify(name)}${near ? ` (did you mean ${near}?)` : ""}; use one of ${COMMAND_NAMES.join(", ")}`);
  }
  return cmd;
}
function describeFailure(err) {
  if (err instanceof ConfigurationError) return { exitCode: 2, message: err.describe(), user: true };
  const e = err;
  return { exitCode: 2, message: `tfaml failed unexpectedly; please report this with the log:
${e?.stack ?? String(err)}`, user: false };
}
function usage() {
  const verbs = COMMAND_NAMES.map((n) => `  ${n.padEnd(10)} ${COMMANDS[n].summary}`).join("\n");
  return `usage: tfaml <command> [--config tfaml.yml] [flags]

commands:
${verbs}

Flags are the action inputs of the same name, e.g. --format json, --base origin/main.
Exit codes: 0 success, 1 negative verdict (error findings, gate rejected, over budget), 2 unusable input.
`;
}
function parseCommandLine(argv) {
  const [command, ...rest] = argv;
  if (command === void 0 || command === "help" || command === "--help" || command === "-h") return { help: usage() };
  if (command === "--version" || command === "version") return { help: `${VERSION}
` };
  const cmd = findCommand(command);
  const options = Object.fromEntries(cmd.inputs.map((n) => [n, { type: cmd.booleans.includes(n) ? "boolean" : "string" }]));
  let values;
  try {
    ({ values } = parseArgs({ args: rest, options, strict: true, allowPositionals: false }));
  } catch (err) {
    const msg = err.message.split("\n")[0] ?? "";
    const flag = msg.match(/'(--?[^' ,]+)/)?.[1]?.replace(/^-+/, "");
    const near = flag ? nearest(flag, cmd.inputs) : void 0;
    throw new UsageError(`${command}: ${msg.replace(/\. To specify.*$/, "")}${near ? ` (did you mean --${near}?)` : ""}; its flags are ${cmd.inputs.map((i) => `--${i}`).join(", ")}`);
  }
  return {
    command,
    inputs: {
      get(name) {
        const v = values[name];
        if (v === void 0 || v === "") return void 0;
        return typeof v === "boolean" ? String(v) : v;
      }
    }
  };
}
async function runCli(argv) {
  const out = cliOutput();
  try {
    const parsed = parseCommandLine(argv);
    if ("help" in parsed) {
      process.stdout.write(parsed.help);
      return 0;
    }
    return await findCommand(parsed.command).run(parsed.inputs, out);
  } catch (err) {
    const f = describeFailure(err);
    process.stderr.write(`${f.user ? "tfaml: " : ""}${f.message.replace(/\n/g, f.user ? "\ntfaml: " : "\n")}
`);
    return f.exitCode;
  }
}
async function runAction() {
  const { actionInputs, actionOutput, core } = await import("./action-output-S3ILCGTE.js");
  const inputs = actionInputs();
  try {
    const code = await findCommand(inputs.get("command")).run(inputs, actionOutput());
    if (code === 1) core.setFailed("tfaml: the verdict is negative; see the annotations and the job summary");
    return code;
  } catch (err) {
    const f = describeFailure(err);
    if (err instanceof ConfigurationError) {
      const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
      for (const e of [err, ...err.more]) {
        const file = e.location ? path.relative(workspace, path.resolve(e.location.file)).split(path.sep).join("/") : void 0;
        core.error(e.message, { title: "tfaml: unusable input", file, startLine: e.location?.line, startColumn: e.location?.column });
      }
    }
    core.setFailed(f.message);
    return f.exitCode;
  }
}

export {
  runCli,
  runAction
};
