// Test runner configuration: unit, integration, interop, security and component suites under tests/ (component tests compile .vue files and run in happy-dom, chosen per file).
import { defineConfig } from 'vitest/config';
import vue from '@vitejs/plugin-vue';

export default defineConfig({
  plugins: [vue()],
  test: {
    include: ['tests/{unit,integration,interop,contract,component,security}/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    globalSetup: ['tests/global-setup.ts'],
  },
});
