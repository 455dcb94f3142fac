// Vite config for the CRM front end: one SPA bundled into dist/ (served by nginx with
// try_files $uri /index.html), no CDN, nothing that needs eval or inline scripts (CSP).
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import { fileURLToPath, URL } from 'node:url'

// The API during `npm run dev` / `npm run preview`; override with CRM_API.
const api = process.env.CRM_API || 'http://127.0.0.1:8080'

const apiProxy = {
  '/api': {
    target: api,
    changeOrigin: true,
    // The server refuses state-changing requests whose Origin is not its own (CSRF
    // defence); the dev server is another origin, so present the API's own.
    configure(proxy) {
      proxy.on('proxyReq', (req) => {
        if (req.getHeader('origin')) req.setHeader('origin', api)
      })
    }
  }
}

export default defineConfig({
  plugins: [vue()],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) }
  },
  define: {
    // vue-i18n feature flags: Composition API only, no devtools in production.
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false
  },
  server: { proxy: apiProxy },
  preview: { proxy: apiProxy },
  build: {
    outDir: process.env.CRM_WEB_DIST || 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 900,
    rollupOptions: {
      output: {
        manualChunks(id) {
          if (!id.includes('node_modules')) return undefined
          if (id.includes('element-plus') || id.includes('@element-plus')) return 'element-plus'
          if (id.includes('/node_modules/leaflet/')) return 'leaflet' // only with the map
          if (/\/node_modules\/(echarts|zrender)\//.test(id)) return 'echarts' // only with a chart
          return 'vendor'
        }
      }
    }
  }
})
