/**
 * Vite config of the wall. Root is this folder; the build lands in ./dist, which the
 * dashboard server serves. In dev, the API and Socket.IO go to a running platform.
 */
import vue from '@vitejs/plugin-vue'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

const root = fileURLToPath(new URL('.', import.meta.url))
const platform = 'http://127.0.0.1:8080'

export default defineConfig({
  root,
  base: './',
  plugins: [vue()],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    // ECharts core + bar chart is the bulk of the bundle; it is one file on a LAN wall.
    chunkSizeWarningLimit: 1200,
  },
  server: {
    proxy: {
      '/api': platform,
      '/socket.io': { target: platform, ws: true },
    },
  },
})
