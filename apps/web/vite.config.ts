/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig, type Plugin } from 'vite';
import { precompress } from './precompress.ts';
import { PRODUCT_NAME } from './src/config/product.ts';

const bff = 'http://127.0.0.1:8080';

/** index.html's title before the app runs is the same one name the app uses. */
const productName: Plugin = {
  name: 'product-name',
  transformIndexHtml: (html) => html.replaceAll('%PRODUCT_NAME%', PRODUCT_NAME),
};

export default defineConfig({
  plugins: [react(), productName, precompress()],
  resolve: {
    // `source` makes `@console/whm-api/rules` resolve to its TypeScript, no build of the package needed.
    conditions: ['source', ...defaultClientConditions],
  },
  server: {
    proxy: { '/api': bff, '/healthz': bff },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/testing/setup-tests.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    restoreMocks: true,
  },
});
