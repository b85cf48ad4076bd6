import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import { metaContentSecurityPolicy } from './src/shared/csp';

/** The page's meta CSP comes from the one policy in src/shared/csp.ts. */
const cspMeta = { name: 'loopdeck-csp-meta', transformIndexHtml: (html: string) => html.replace('%LOOPDECK_CSP%', metaContentSecurityPolicy()) };

export default defineConfig({
  main: {
    build: {
      // The rating fit's worker thread is an entry of its own, beside index.js (src/node/moduleWorker.ts).
      rollupOptions: { input: { index: resolve('src/main/index.ts'), ratingFitThread: resolve('src/main/orchestrator/evaluation/ratingFitThread.ts') } },
    },
  },
  preload: {
    build: {
      // A sandboxed preload cannot be an ES module.
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src/renderer',
    plugins: [react(), cspMeta],
    build: {
      rollupOptions: { input: { index: resolve('src/renderer/index.html') } },
    },
  },
});
