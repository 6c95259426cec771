import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { viteStaticCopy } from 'vite-plugin-static-copy';
import { precompress } from './scripts/build/precompress';

// Cesium offline: its workers, assets and widgets are copied under /cesium/
// and CESIUM_BASE_URL points there, so no request leaves the host.
const cesiumDirs = ['ThirdParty', 'Workers', 'Assets', 'Widgets'];
const servicePort = Number(process.env.PORT ?? 8080);

export default defineConfig({
  define: { CESIUM_BASE_URL: JSON.stringify('/cesium/') },
  // zod through a module that sets jitless first (the CSP allows no eval): an import in the entry
  // point ran too late once zod and the contracts shared a chunk evaluated before the entry's code.
  resolve: { alias: [{ find: /^zod$/, replacement: fileURLToPath(new URL('./src/live/noEval.ts', import.meta.url)) }] },
  plugins: [
    react(),
    viteStaticCopy({
      targets: cesiumDirs.map((d) => ({ src: `node_modules/cesium/Build/Cesium/${d}`, dest: 'cesium' })),
    }),
    precompress(),
  ],
  build: {
    outDir: 'dist',
    chunkSizeWarningLimit: 6000,
    sourcemap: false,
    rolldownOptions: {
      output: {
        // Cesium in a chunk of its own: it changes only with its version, so browsers keep it
        // cached across our releases, and the app's own code can be measured without it.
        codeSplitting: { groups: [{ name: 'cesium', test: /node_modules[\\/](cesium|@cesium)[\\/]/ }] },
      },
    },
  },
  optimizeDeps: { include: ['cesium', 'react', 'react-dom', 'mqtt', 'zustand', 'three', '@deck.gl/core', '@deck.gl/layers'] },
  // `npm run dev` serves the app with hot reload against a running service (`npm run serve`).
  server: {
    port: 5173,
    proxy: {
      '/api': `http://localhost:${servicePort}`,
      '/mqtt': { target: `ws://localhost:${servicePort}`, ws: true },
      '/data': `http://localhost:${servicePort}`,
      '/models': `http://localhost:${servicePort}`,
    },
  },
});
