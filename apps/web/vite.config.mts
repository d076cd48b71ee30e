import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The pages are built into dist/web, which the API serves at `/` (apps/api/src/web/web-pages.ts).
// `npx vite --config apps/web/vite.config.mts` serves them with hot reload, calling an API on port 3000.
const api = 'http://127.0.0.1:3000';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  build: {
    outDir: fileURLToPath(new URL('../../dist/web', import.meta.url)),
    emptyOutDir: true,
    // The map's country shapes stay a file of their own, fetched once and cached, not inlined into the script.
    assetsInlineLimit: 0,
  },
  server: { proxy: { '/v1': api, '/admin/queues': api, '/health': api } },
});
