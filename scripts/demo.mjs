// `npm start`: the whole lifecycle on examples/ with the embedded default, through the real CLI in dist/ (no
// rebuild: dist/ is committed). A local hub server on 127.0.0.1 serves the pre-trained MobileNetV2 that ships in
// nsfwjs (test/fakes/hub-server.ts) by tfhub.dev's URL conventions, and TFAML_HUB_URL points the hub loader at it,
// so the download, hash and cache paths run as they do against tfhub.dev. Each verb is one step below.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const CONFIG = path.join(ROOT, 'examples', 'tfaml.yml');

// The hub server is TypeScript (it is a test fake too); bundle it for plain node, inside the repository so that it
// resolves nsfwjs from node_modules.
mkdirSync(path.join(ROOT, 'node_modules', '.cache'), { recursive: true });
const tmp = mkdtempSync(path.join(ROOT, 'node_modules', '.cache', 'tfaml-demo-'));
await build({
  entryPoints: [path.join(ROOT, 'test/fakes/hub-server.ts')],
  outfile: path.join(tmp, 'hub-server.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  packages: 'external',
  logLevel: 'warning',
});
const { startStandardHub } = await import(pathToFileURL(path.join(tmp, 'hub-server.mjs')).href);
const hub = await startStandardHub();
const env = { ...process.env, TFAML_HUB_URL: hub.url };

// Asynchronous, so that the hub server in this process keeps answering while the CLI runs. With `stdoutTo`, the
// command's stdout goes to that file instead of the terminal.
async function step(title, args, extraEnv = {}, stdoutTo) {
  process.stderr.write(`\n━━ ${title}: tfaml ${args.join(' ')}${stdoutTo ? ` > ${stdoutTo}` : ''}\n`);
  const out = stdoutTo ? openSync(stdoutTo, 'w') : 'inherit';
  const child = spawn(process.execPath, [CLI, ...args], {
    stdio: ['inherit', out, 'inherit'],
    env: { ...env, ...extraEnv },
    cwd: ROOT,
  });
  const code = await new Promise((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
  if (stdoutTo) closeSync(out);
  return code;
}

let code = 0;
try {
  process.stderr.write(`hub: ${hub.url} (TFAML_HUB_URL) serving MobileNetV2 from nsfwjs@4.3.0\n`);
  code ||= await step('validate', ['validate', '--config', CONFIG]);
  // `npm start -- --force` trains again even when the fingerprint matches (a second plain run reuses the model).
  const force = process.argv.slice(2).includes('--force') ? ['--force'] : [];
  code ||= await step('train', ['train', '--config', CONFIG, ...force]);
  code ||= await step('models', ['models', '--config', CONFIG]);
  // promote, as a push to main runs it: GITHUB_REF names the branch (anywhere else promote only reports). The first
  // `npm start` makes production 1.0.0 the champion; the next run's candidate meets max-drop against it. A rejected
  // candidate (exit 1) is the gate doing its job, not a failure of the demo.
  if (code === 0) {
    const p = await step('promote', ['promote', '--config', CONFIG], { GITHUB_REF: 'refs/heads/main' });
    code = p === 1 ? 0 : p;
  }
  // What a run costs on Azure and what the endpoints cost per month (offline: the bundled price snapshot, and the
  // report says so), with the run just recorded added as the actual cost.
  code ||= await step('cost', ['cost', '--config', CONFIG, '--actual-from-registry', '--prices', 'snapshot']);
  // The run report: one self-contained page for the run just trained, with the cost estimate against its actual cost
  // (cost's JSON report, the same numbers as above). It prints the page's path; open it in any browser.
  const costJson = path.join(tmp, 'cost.json');
  code ||= await step(
    'cost as JSON, for the report',
    ['cost', '--config', CONFIG, '--actual-from-registry', '--prices', 'snapshot', '--format', 'json'],
    {},
    costJson,
  );
  code ||= await step('report', ['report', '--config', CONFIG, '--cost', costJson]);
} finally {
  await hub.close();
  rmSync(tmp, { recursive: true, force: true });
}
process.exitCode = code;
