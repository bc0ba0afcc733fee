import { defineConfig } from 'vite';

/** The UI is served by the `webserver` peer at `/`: hashed assets under `assets/`, no source maps in dist. */
export default defineConfig({
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 200,
  },
});
