import { resolve } from 'node:path'
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import { rendererAssetsInlineLimit } from './scripts/rendererBuild'

/**
 * The same renderer as the desktop app, built as a plain web client that the
 * session server serves at / so a student can join from a link.
 */
export default defineConfig({
  root: resolve(import.meta.dirname, 'src/renderer'),
  base: '/',
  plugins: [vue()],
  build: {
    outDir: resolve(import.meta.dirname, 'dist/web'),
    emptyOutDir: true,
    assetsInlineLimit: rendererAssetsInlineLimit,
  },
})
