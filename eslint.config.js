// Lint for the whole repository: typescript-eslint's recommended rules plus the import direction of DESIGN.md.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import pluginVue from 'eslint-plugin-vue';
import { plugin as vmnetlab } from './tools/eslint/boundaries.js';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'out/**', 'test-results/**', 'playwright-report/**', 'release/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  // Vue components: the essential rules, with TypeScript inside <script setup lang="ts">.
  ...pluginVue.configs['flat/essential'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'], sourceType: 'module' } },
    // vue-tsc checks names; ESLint's own check knows no browser or TypeScript globals.
    rules: { 'no-undef': 'off' },
  },
  {
    plugins: { vmnetlab },
    rules: {
      'vmnetlab/boundaries': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
