// Lint rules, and which room may import what: main/core runs under plain Node (no electron,
// no React); the renderer is a web page (no Node built-ins, no electron, no main/ code: it
// talks to the contract in preload/ only); preload/contract.ts, preload/contract/ and
// preload/view-logic.ts are shared with the renderer.
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.tmp/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    files: ['main/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          { name: 'electron', message: 'main/core runs under plain Node: put Electron code in main/electron.' },
          { name: 'react', message: 'main/core has no UI.' },
          { name: 'react-dom', message: 'main/core has no UI.' },
        ],
        patterns: [
          { group: ['**/electron/**', '**/web/**', '**/renderer/**'], message: 'main/core must not depend on a shell.' },
          { group: ['electron/*', 'react/*', 'react-dom/*'], message: 'main/core runs under plain Node.' },
        ],
      }],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    ignores: ['renderer/vite.config.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          ...nodeBuiltins.map((name) => ({ name, message: 'The renderer is a web page: no Node built-ins.' })),
          { name: 'electron', message: 'The renderer talks only to the contract in preload/.' },
        ],
        patterns: [
          { group: ['**/main/**'], message: 'The renderer talks only to the contract in preload/contract.ts.' },
          { group: ['**/preload/index*', '**/preload/bridge*'], message: 'Import the contract, not the bridge.' },
        ],
      }],
    },
  },
  {
    files: ['preload/contract.ts', 'preload/contract/**/*.ts', 'preload/view-logic.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [...nodeBuiltins, 'electron'].map((name) => ({ name, message: 'The contract is shared with the renderer: types and constants only.' })),
        patterns: [{ group: ['**/main/**', '../*'], message: 'The contract depends on nothing.' }],
      }],
    },
  },
);
