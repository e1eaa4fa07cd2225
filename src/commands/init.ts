/**
 * init: from an existing Azure ML repository to a project tfaml can check, in one command. It finds the Azure ML CLI
 * v2 YAML (src/init/discover.ts), writes a commented tfaml.yml (src/init/render.ts), ignores `.tfaml/`, copies the
 * three workflows with the repository's branch filled in, then runs lock and validate so the user sees where they
 * stand. It never overwrites a file without --force.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultBranch } from '../adapters/local/git.js';
import { UsageError } from '../core/errors.js';
import { writeFileAtomic } from '../core/fs.js';
import { readBoolean, readChoice, type Inputs, type Output } from '../core/io.js';
import { classify, codeOwners, type FoundAsset } from '../init/discover.js';
import { projectName, renderConfig } from '../init/render.js';

export interface InitSettings {
  format: 'text' | 'json';
  /** The repository folder. */
  dir: string;
  /** Promote branch and the workflows' trigger; undefined: from git. */
  branch?: string;
  force: boolean;
}

export function readInitSettings(inputs: Inputs): InitSettings {
  return {
    format: readChoice(inputs, 'format', ['text', 'json'], 'text'),
    dir: inputs.get('dir') ?? '.',
    branch: inputs.get('branch'),
    force: readBoolean(inputs, 'force', false),
  };
}

/** Folders that never hold a team's Azure ML YAML, or are not theirs to list. */
const SKIP = new Set(['node_modules', '.git', '.tfaml', 'dist', '.github', '.venv', 'venv', '__pycache__']);

function yamlFiles(root: string, rel = '', out: string[] = [], budget = { files: 5000 }): string[] {
  for (const e of readdirSync(path.join(root, rel), { withFileTypes: true })) {
    if (budget.files-- <= 0) break;
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory() && !SKIP.has(e.name) && !e.name.startsWith('.')) yamlFiles(root, r, out, budget);
    else if (e.isFile() && /\.ya?ml$/i.test(e.name) && r !== 'tfaml.yml') out.push(r);
  }
  return out;
}

/** The workflow templates shipped beside the bundle (dist/…) or the sources (src/commands/…). */
function templatesDir(): string | undefined {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const t = path.join(dir, 'workflows-templates');
    if (existsSync(path.join(t, 'tfaml-pull-request.yml'))) return t;
    dir = path.dirname(dir);
  }
  return undefined;
}

export async function init(inputs: Inputs, out: Output): Promise<number> {
  const s = readInitSettings(inputs);
  const root = path.resolve(s.dir);
  if (!existsSync(root))
    throw new UsageError(`the folder ${s.dir} does not exist; pass the repository's folder as --dir`);
  const config = path.join(root, 'tfaml.yml');
  if (existsSync(config) && !s.force)
    throw new UsageError(
      `${path.relative(process.cwd(), config) || 'tfaml.yml'} already exists, so init changed nothing; run \`tfaml validate\`, or \`tfaml init --force\` to write it (and the workflows) again`,
    );

  const assets: FoundAsset[] = [];
  for (const rel of yamlFiles(root)) {
    const found = classify(rel, readFileSync(path.join(root, rel), 'utf8'));
    if (found) assets.push(found);
  }
  const ownersFile = ['CODEOWNERS', '.github/CODEOWNERS', 'docs/CODEOWNERS'].find((f) =>
    existsSync(path.join(root, f)),
  );
  const owners = ownersFile ? codeOwners(readFileSync(path.join(root, ownersFile), 'utf8')) : [];
  const branch = s.branch ?? defaultBranch(root) ?? 'main';
  const lines: string[] = [];

  writeFileAtomic(
    config,
    renderConfig({ project: projectName(path.basename(root)), owners, ownersFrom: ownersFile, assets, branch }),
  );
  lines.push(
    `wrote tfaml.yml: ${assets.length} Azure ML file${assets.length === 1 ? '' : 's'}${assets.length ? ` (${assets.map((a) => `${a.path} as ${a.kind}`).join(', ')})` : ''}, owners ${owners.length ? owners.join(' ') : 'none yet'}, promote branch ${branch}`,
  );

  const gitignore = path.join(root, '.gitignore');
  const ignored = existsSync(gitignore) ? readFileSync(gitignore, 'utf8') : '';
  if (!/^\/?\.tfaml\/?\s*$/m.test(ignored)) {
    const sep = ignored === '' || ignored.endsWith('\n') ? '' : '\n';
    writeFileAtomic(gitignore, `${ignored}${sep}# tfaml's caches, registries and checkpoints\n.tfaml/\n`);
    lines.push('.gitignore: added .tfaml/ (caches, registries and checkpoints never belong in git)');
  }

  const templates = templatesDir();
  if (templates) {
    const workflows = path.join(root, '.github', 'workflows');
    mkdirSync(workflows, { recursive: true });
    for (const f of readdirSync(templates)
      .filter((n) => n.endsWith('.yml'))
      .sort()) {
      const dest = path.join(workflows, f);
      if (existsSync(dest) && !s.force) {
        lines.push(`.github/workflows/${f} exists: left as it is (--force writes it again)`);
        continue;
      }
      const text = readFileSync(path.join(templates, f), 'utf8')
        .replace(/branches: \[main\]/g, `branches: [${branch}]`)
        .replace(/refs\/heads\/main\b/g, `refs/heads/${branch}`);
      writeFileSync(dest, text);
      lines.push(`wrote .github/workflows/${f} (on ${branch})`);
    }
  }
  const json = s.format === 'json';
  if (!json) out.print(lines.join('\n') + '\n\n');
  out.setOutput('config', config);

  // Where the project stands now, with the verbs a user will run next. In JSON mode their reports are collected
  // into init's one document instead of printed.
  const reports: string[] = [];
  const sub: Output = json ? { ...out, print: (t) => void reports.push(t) } : out;
  const { lock } = await import('./lock.js');
  const { validate } = await import('./validate.js');
  const configInputs: Inputs = { get: (n) => (n === 'config' ? config : n === 'format' ? s.format : undefined) };
  let checked = 'validate found nothing to fix';
  let problem: string | undefined;
  try {
    await lock(configInputs, sub);
    if ((await validate(configInputs, sub)) !== 0) checked = 'validate lists what to fix above';
  } catch (err) {
    problem = (err as Error).message.split('\n')[0];
    checked = `tfaml.yml cannot be used yet: ${problem}`;
  }
  if (json) {
    const [lockReport, validateReport] = reports.map((r) => JSON.parse(r) as unknown);
    out.print(
      JSON.stringify(
        { config, branch, owners, assets, written: lines, lock: lockReport, validate: validateReport, problem },
        null,
        2,
      ) + '\n',
    );
    return 0;
  }
  out.print(
    [
      '',
      `Next: ${checked}.`,
      '  1. Fill in `model:` in tfaml.yml (the TF Hub model your jobs fine-tune) and the owners, then `npx tfaml lock`.',
      '  2. Create the Azure identities and repository variables the workflows use (README, "Set up in five minutes").',
      '  3. Commit tfaml.yml, tfaml.lock, .gitignore and .github/workflows/, and open a pull request.',
      '',
    ].join('\n'),
  );
  return 0;
}
