// Writes what src/verbs declares into the files a workflow and a reader see: the root action.yml (every verb through
// `command`), actions/<verb>/action.yml for each verb with its own composite action (inputs, outputs and the env
// that hands every input to the bundle), each verb's usage in docs/<verb>.md and the root action's in docs/actions.md
// (between <!-- usage:start --> and <!-- usage:end -->), and the README's verbs overview (between <!-- verbs:start -->
// and <!-- verbs:end -->). The steps a composite action runs besides the bundle live in scripts/actions/<verb>.steps.yml.
// `--check` writes nothing and exits 1 when a file is stale (.ci/run and test/verbs/generated.test.ts check it too).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const START = '<!-- usage:start -->';
const END = '<!-- usage:end -->';
const VERBS_START = '<!-- verbs:start -->';
const VERBS_END = '<!-- verbs:end -->';
const RUN_PLACEHOLDER = '    # tfaml:run\n';
const BUNDLE = 'node "$GITHUB_ACTION_PATH/../../dist/index.js"';

/** The root action's own metadata (its inputs and outputs come from every verb). */
const ROOT_ACTION = {
  name: 'tfaml',
  description:
    'Production discipline for TensorFlow Hub models on Azure ML — validate, train, promote and cost in one action.',
  author: 'tfaml',
  branding: { icon: 'check-circle', color: 'blue' },
};

/** Comments in a composite action's `run` step, about what the bundle reads besides its inputs. */
const RUN_NOTES = {
  promote: ['GITHUB_REF decides whether production may be written (only from promote.branch in tfaml.yml).'],
};

/**
 * Env a composite action's `run` step gets besides its inputs, from the steps around it. train: the CUDA 11 runtime
 * the `cuda` step of scripts/actions/train.steps.yml provides reaches the tfaml process only, not later steps.
 */
const RUN_ENV = {
  train: {
    TFAML_CUDA_LIBS: '${{ steps.cuda.outputs.dir }}',
    LD_LIBRARY_PATH: '${{ steps.cuda.outputs.ld-library-path }}',
  },
};

/** A YAML scalar: plain where YAML reads it back as the same string, else single-quoted. */
function scalar(s) {
  const plain =
    s !== '' &&
    s === s.trim() &&
    !/^(true|false|yes|no|on|off|y|n|null|~|[-+]?[\d._]+(e[-+]?\d+)?|0x[\da-f]+|\.inf|\.nan)$/i.test(s) &&
    !/^[-?:,[\]{}#&*!|>'"%@`]/.test(s) &&
    !/: |:$| #|\n/.test(s);
  return plain ? s : `'${s.replace(/'/g, "''")}'`;
}

const lcfirst = (s) => (/^[A-Z](?![A-Z])/.test(s) ? s[0].toLowerCase() + s.slice(1) : s);
const str = (v) => (v === undefined ? undefined : String(v));
/** What action.yml declares as the default; '' is what an undeclared input is anyway, so it is not declared. */
const actionDefault = (input) => {
  const d = input.actionDefault ?? str(input.default);
  return d === '' ? undefined : d;
};

/** An inputs: / outputs: block, returning the lines and the object YAML must read back. */
function block(key, entries) {
  const lines = [`${key}:`];
  const obj = {};
  for (const [name, fields] of entries) {
    lines.push(`  ${name}:`);
    obj[name] = {};
    for (const [k, v] of Object.entries(fields)) {
      if (v === undefined) continue;
      lines.push(`    ${k}: ${typeof v === 'boolean' ? v : scalar(v)}`);
      obj[name][k] = v;
    }
  }
  return { lines, obj };
}

/** The text, checked: YAML must read it back as exactly the object it was written from. */
function checked(file, lines, expected) {
  const text = `${lines.join('\n')}\n`;
  const back = parse(text);
  for (const [k, v] of Object.entries(expected))
    if (!isDeepStrictEqual(back[k], v)) throw new Error(`${file}: ${k} does not read back as written`);
  return text;
}

function rootAction(verbs) {
  const inputs = new Map([
    [
      'command',
      {
        description: `The verb to run — ${verbs
          .slice(0, -1)
          .map((v) => v.name)
          .join(', ')} or ${verbs.at(-1).name}.`,
        required: true,
      },
    ],
  ]);
  const outputs = new Map();
  // One entry per name; the verbs reading it must agree on how the root action words it.
  const merge = (kind, name, verb, entry, own) => {
    const seen = kind.get(name);
    if (!seen) return kind.set(name, { ...entry, verbs: [verb.name], own: [own] });
    for (const k of ['rootDescription', 'default'])
      if (seen[k] !== entry[k]) throw new Error(`${name}: ${verb.name} and ${seen.verbs[0]} disagree on its root ${k}`);
    seen.verbs.push(verb.name);
    seen.own.push(own);
  };
  for (const v of verbs) {
    for (const [name, i] of Object.entries(v.inputs)) {
      if (i.actionOnly) continue;
      const d = i.root && 'default' in i.root ? undefined : actionDefault(i);
      merge(inputs, name, v, { rootDescription: i.root?.description, default: d }, i.description);
    }
    for (const [name, o] of Object.entries(v.outputs))
      merge(outputs, name, v, { rootDescription: o.root, default: undefined }, o.description);
  }
  const describe = (name, e) => {
    if (e.rootDescription) return e.rootDescription;
    if (e.verbs.length === verbs.length && new Set(e.own).size === 1) return e.own[0];
    if (e.verbs.length > 1)
      throw new Error(`${name}: read by ${e.verbs.join(', ')}; say in root how action.yml words it`);
    return `${e.verbs[0]} — ${lcfirst(e.own[0])}`;
  };
  const ins = block(
    'inputs',
    [...inputs].map(([n, e]) =>
      n === 'command' ? [n, e] : [n, { description: describe(n, e), required: false, default: e.default }],
    ),
  );
  const outs = block(
    'outputs',
    [...outputs].map(([n, e]) => [n, { description: describe(n, e) }]),
  );
  const runs = { using: 'node24', main: 'dist/index.js' };
  const lines = [
    '# Generated by scripts/gen.mjs from src/verbs; do not edit by hand (npm run gen).',
    `name: ${scalar(ROOT_ACTION.name)}`,
    `description: ${scalar(ROOT_ACTION.description)}`,
    `author: ${scalar(ROOT_ACTION.author)}`,
    'branding:',
    `  icon: ${ROOT_ACTION.branding.icon}`,
    `  color: ${ROOT_ACTION.branding.color}`,
    ...ins.lines,
    ...outs.lines,
    'runs:',
    `  using: ${runs.using}`,
    `  main: ${runs.main}`,
  ];
  return checked('action.yml', lines, { ...ROOT_ACTION, inputs: ins.obj, outputs: outs.obj, runs });
}

function verbAction(verb, root) {
  const file = `actions/${verb.name}/action.yml`;
  const ins = block(
    'inputs',
    Object.entries(verb.inputs).map(([n, i]) => [
      n,
      { description: i.description, required: false, default: actionDefault(i) },
    ]),
  );
  const outs = block(
    'outputs',
    Object.entries(verb.outputs).map(([n, o]) => [
      n,
      { description: o.description, value: `\${{ steps.run.outputs.${n} }}` },
    ]),
  );
  const env = { INPUT_COMMAND: verb.name };
  for (const [n, i] of Object.entries(verb.inputs))
    if (!i.actionOnly) env[`INPUT_${n.toUpperCase()}`] = `\${{ inputs.${n} }}`;
  Object.assign(env, RUN_ENV[verb.name]);
  const run = [
    '    - id: run',
    '      shell: bash',
    '      # Inputs reach the bundle only through env (never ${{ }} inside run:), as INPUT_* so both actions read them alike.',
    ...(RUN_NOTES[verb.name] ?? []).map((n) => `      # ${n}`),
    '      env:',
    ...Object.entries(env).map(([k, v]) => `        ${k}: ${scalar(v)}`),
    '      run: |',
    '        set -euo pipefail',
    `        ${BUNDLE}`,
    '',
  ].join('\n');
  const template = path.join(root, 'scripts', 'actions', `${verb.name}.steps.yml`);
  let steps = run;
  if (existsSync(template)) {
    const text = readFileSync(template, 'utf8').replace(/^(#.*\n)+/, '');
    if (text.split(RUN_PLACEHOLDER).length !== 2)
      throw new Error(`${path.relative(root, template)}: needs the line \`${RUN_PLACEHOLDER.trim()}\` exactly once`);
    steps = text.replace(RUN_PLACEHOLDER, run);
  }
  const lines = [
    `# Generated by scripts/gen.mjs from src/verbs/${verb.name}.ts${existsSync(template) ? ` and scripts/actions/${verb.name}.steps.yml` : ''}; do not edit by hand (npm run gen).`,
    `name: tfaml ${verb.name}`,
    `description: ${scalar(verb.action.description)}`,
    ...ins.lines,
    ...outs.lines,
    'runs:',
    '  using: composite',
    '  steps:',
    steps.replace(/\n$/, ''),
  ];
  const text = checked(file, lines, {
    name: `tfaml ${verb.name}`,
    description: verb.action.description,
    inputs: ins.obj,
    outputs: outs.obj,
  });
  const runStep = parse(text).runs.steps.find((s) => s.id === 'run');
  if (!isDeepStrictEqual(runStep?.env, env))
    throw new Error(`${file}: the run step's env does not read back as written`);
  return text;
}

const cell = (s) =>
  String(s ?? '')
    .replace(/\|/g, '\\|')
    .replace(/\s*\n\s*/g, ' ')
    .trim();

/** The section of one action, from its generated action.yml, under a heading of `level` #s. */
function section(text, title, uses, level = 2) {
  const a = parse(text);
  const out = [`${'#'.repeat(level)} ${title}`, '', cell(a.description), '', '```yaml', `- uses: ${uses}`];
  const required = Object.entries(a.inputs ?? {}).filter(([, v]) => v.required);
  if (required.length) {
    out.push('  with:');
    for (const [k] of required) out.push(`    ${k}: ${k === 'command' ? 'validate' : '...'}`);
  }
  out.push('```', '');
  out.push(...inputTable(Object.entries(a.inputs ?? {}).map(([k, v]) => [k, v.required, v.default, v.description])));
  out.push(...outputTable(Object.entries(a.outputs ?? {}).map(([k, v]) => [k, v.description])));
  return out.join('\n');
}

function inputTable(rows) {
  const out = ['| input | required | default | description |', '|---|---|---|---|'];
  for (const [k, required, d, description] of rows)
    out.push(
      `| \`${k}\` | ${required ? 'yes' : 'no'} | ${d === undefined || d === '' ? '' : `\`${cell(d)}\``} | ${cell(description)} |`,
    );
  out.push('');
  return out;
}

function outputTable(rows) {
  if (!rows.length) return [];
  const out = ['| output | description |', '|---|---|'];
  for (const [k, description] of rows) out.push(`| \`${k}\` | ${cell(description)} |`);
  out.push('');
  return out;
}

/**
 * A verb without a composite action runs in a workflow through the root action with `command: <verb>`: its own
 * inputs and outputs, worded as the verb declares them, with the defaults the root action.yml declares.
 */
function rootSection(verb, rootYml) {
  const root = parse(rootYml);
  const out = [
    `## In a workflow: the root action with \`command: ${verb.name}\``,
    '',
    `${verb.summary[0].toUpperCase()}${verb.summary.slice(1)}.`,
    '',
    '```yaml',
    '- uses: tfaml/tfaml@v0',
    '  with:',
    `    command: ${verb.name}`,
    '```',
    '',
  ];
  out.push(
    ...inputTable(
      Object.entries(verb.inputs)
        .filter(([, i]) => !i.actionOnly)
        .map(([k, i]) => [k, false, root.inputs[k]?.default, i.description]),
    ),
  );
  out.push(...outputTable(Object.entries(verb.outputs).map(([k, o]) => [k, o.description])));
  return out.join('\n');
}

const GENERATED = '<!-- generated by scripts/gen.mjs from src/verbs (npm run gen); do not edit by hand -->';
const wrap = (body) => `${START}\n${GENERATED}\n\n${body}${END}`;

/** docs/<verb>.md's usage: its composite action, else the root action with `command: <verb>`. */
function verbUsage(verb, files) {
  const own = files[`actions/${verb.name}/action.yml`];
  if (!own)
    return wrap(
      `${rootSection(verb, files['action.yml'])}\nEvery input of the root action: [actions.md](actions.md).\n`,
    );
  return wrap(
    `${section(own, `In a workflow: actions/${verb.name}`, `tfaml/tfaml/actions/${verb.name}@v0`)}\n` +
      `Or the root action with \`command: ${verb.name}\`: [actions.md](actions.md).\n`,
  );
}

/** docs/actions.md's usage: the composite actions, in the order a pipeline runs them, and the root action. */
function actionsUsage(verbs, files) {
  const order = ['validate', 'cost', 'train', 'promote'];
  const rank = (v) => (order.indexOf(v.name) + 99) % 99;
  const own = verbs.filter((v) => files[`actions/${v.name}/action.yml`]);
  own.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
  const list = ['| action | what it does |', '|---|---|'];
  for (const v of own)
    list.push(`| [\`tfaml/tfaml/actions/${v.name}@v0\`](${v.name}.md) | ${cell(v.action.description)} |`);
  list.push('');
  return wrap(
    `${list.join('\n')}\n${section(files['action.yml'], 'The root action (every verb through `command`)', 'tfaml/tfaml@v0')}`,
  );
}

/** The README's verbs overview: one line per verb, linking to its page. */
function verbsOverview(verbs, files) {
  const out = ['| verb | what it does | in a workflow |', '|---|---|---|'];
  for (const v of verbs)
    out.push(
      `| [\`tfaml ${v.name}\`](docs/${v.name}.md) | ${cell(v.summary)} | ${files[`actions/${v.name}/action.yml`] ? `\`actions/${v.name}\`` : `root action, \`command: ${v.name}\``} |`,
    );
  return `${VERBS_START}\n${GENERATED}\n\n${out.join('\n')}\n${VERBS_END}`;
}

/** `text` with what lies between `start` and `end` (the markers included) replaced by `block`. */
function splice(file, text, start, end, block) {
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error(`${file} needs the markers ${start} and ${end}, in that order`);
  return text.slice(0, i) + block + text.slice(j + end.length);
}

/** A page for a verb that has none yet: its title, its summary and the markers, for a person to write the rest. */
const stub = (verb) =>
  `# tfaml ${verb.name}\n\n${verb.summary[0].toUpperCase()}${verb.summary.slice(1)}.\n\n${START}\n${END}\n`;

/**
 * Every generated file, by path from the repository root, as it should read: the action.yml files from the specs;
 * README.md with its verbs overview replaced, docs/<verb>.md and docs/actions.md with their usage replaced (the rest
 * of each read from `root`; a verb without a page gets a new one).
 */
export function generate(verbs, root = ROOT) {
  const files = { 'action.yml': rootAction(verbs) };
  for (const v of verbs) if (v.action) files[`actions/${v.name}/action.yml`] = verbAction(v, root);
  const read = (file, fallback) => {
    const abs = path.join(root, file);
    if (existsSync(abs)) return readFileSync(abs, 'utf8');
    if (fallback === undefined) throw new Error(`${file} is missing`);
    return fallback;
  };
  const docs = {};
  for (const v of verbs) {
    const file = `docs/${v.name}.md`;
    docs[file] = splice(file, read(file, stub(v)), START, END, verbUsage(v, files));
  }
  docs['docs/actions.md'] = splice('docs/actions.md', read('docs/actions.md'), START, END, actionsUsage(verbs, files));
  files['README.md'] = splice('README.md', read('README.md'), VERBS_START, VERBS_END, verbsOverview(verbs, files));
  return { ...files, ...docs };
}

/** Folders under actions/ that no verb declares an action for (the generator never deletes them itself). */
export function strayActions(verbs, root = ROOT) {
  const dir = path.join(root, 'actions');
  const want = new Set(verbs.filter((v) => v.action).map((v) => v.name));
  return existsSync(dir) ? readdirSync(dir).filter((d) => !want.has(d)) : [];
}

/** src/verbs bundled by esbuild and imported from memory: the specs are TypeScript, the generator plain Node. */
export async function loadVerbs(root = ROOT) {
  const { build } = await import('esbuild');
  const out = await build({
    entryPoints: [path.join(root, 'src/verbs/index.ts')],
    bundle: true,
    format: 'esm',
    platform: 'node',
    write: false,
    logLevel: 'silent',
  });
  const code = out.outputFiles[0].text;
  return (await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)).VERBS;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const verbs = await loadVerbs();
  const check = process.argv.includes('--check');
  const stale = [];
  for (const [file, text] of Object.entries(generate(verbs))) {
    const abs = path.join(ROOT, file);
    if (existsSync(abs) && readFileSync(abs, 'utf8') === text) continue;
    stale.push(file);
    if (!check) writeFileSync(abs, text);
  }
  const stray = strayActions(verbs);
  if (stray.length) {
    console.error(`actions/${stray.join(', actions/')}: no verb in src/verbs declares this action; remove it`);
    process.exit(1);
  }
  if (check && stale.length) {
    console.error(`${stale.join(', ')} not up to date with src/verbs: run \`npm run gen\` and commit the result`);
    process.exit(1);
  }
  if (!check) for (const f of stale) console.log(`wrote ${f}`);
}
