import js from '@eslint/js';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

// The house plan (docs/architecture.md), checked: core <- domain <- adapters <- commands <- entries.
// A layer imports only from the layers before it; an adapter never reaches into another adapter.
const DOMAIN = [
  'audit',
  'config',
  'parse',
  'checks',
  'lock',
  'gate',
  'cost',
  'train',
  'report',
  'promote',
  'verbs',
  'init',
  'gpu',
  'runreport',
];
const ADAPTERS = ['azure', 'github', 'hub', 'local', 'prices'];
const ENTRIES = ['./src/entries'];
const layerZones = [
  {
    target: './src/core',
    from: './src',
    except: ['./core'],
    message: 'src/core imports nothing of tfaml outside src/core.',
  },
  ...DOMAIN.map((d) => ({
    target: `./src/${d}`,
    from: ['./src/adapters', './src/commands', ...ENTRIES],
    message:
      'Domain code never imports an adapter, a command or an entry point: take what you need as a port (src/core/ports.ts).',
  })),
  {
    target: './src/verbs',
    from: './src',
    except: ['./core', './verbs'],
    message: 'A verb declaration is data: it imports only src/core.',
  },
  {
    target: './src/adapters',
    from: ['./src/commands', ...ENTRIES],
    message: 'An adapter never imports a command or an entry point.',
  },
  ...ADAPTERS.map((a) => ({
    target: `./src/adapters/${a}`,
    from: './src/adapters',
    except: [`./${a}`],
    message: 'An adapter never imports another adapter: share through src/core or the domain.',
  })),
  {
    target: './src/commands',
    from: ENTRIES,
    message: 'Commands never import an entry point.',
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'examples/**', 'coverage/**', 'src/config/generated/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Only the Azure adapter may import the Azure SDK; only the GitHub adapter may import @actions/*.
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@azure/*'], message: 'Import @azure/* only in src/adapters/azure.' },
            { group: ['@actions/*'], message: 'Import @actions/* only in src/adapters/github.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/**/*.ts'],
    // Sources import './x.js' and the file is x.ts: resolve as TypeScript's NodeNext resolution does.
    settings: {
      'import-x/resolver-next': [
        createNodeResolver({ extensions: ['.ts', '.js'], extensionAlias: { '.js': ['.ts', '.js'] } }),
      ],
    },
    rules: { 'import-x/no-restricted-paths': ['error', { zones: layerZones }] },
  },
  {
    files: ['src/adapters/azure/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@actions/*'], message: 'Import @actions/* only in src/adapters/github.' }] },
      ],
    },
  },
  {
    files: ['src/adapters/github/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@azure/*'], message: 'Import @azure/* only in src/adapters/azure.' }] },
      ],
    },
  },
  // Tests and tools reach whatever they exercise.
  { files: ['test/**', 'scripts/**', 'bench/**'], rules: { 'no-restricted-imports': 'off' } },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        performance: 'readonly',
      },
    },
  },
);
