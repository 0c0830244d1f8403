// Builds the window (Vue 3) into dist/renderer with relative URLs, so Electron can load it from file:// and `vmnetlab serve` from any path.
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

/** A directory next to this file, as a path (no node:url here: the renderer's lint forbids Node modules). */
const here = (rel: string): string => decodeURIComponent(new URL(rel, import.meta.url).pathname);
const root = here('.');

export default defineConfig({
  root,
  base: './',
  plugins: [vue()],
  define: {
    __VUE_OPTIONS_API__: 'false',
    __VUE_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    __VUE_I18N_FULL_INSTALL__: 'true',
    __VUE_I18N_LEGACY_API__: 'false',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
  },
  build: {
    outDir: here('../dist/renderer'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 1024,
    // The Vue transform is most of a small build's time; the warning that says so is noise in every build log.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
  server: { fs: { allow: [here('..')] } },
});
