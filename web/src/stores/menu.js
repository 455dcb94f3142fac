// The menu the server gives the logged-in user (already filtered for the role), and
// lookups from a route path back to its menu item.
import { defineStore } from 'pinia'
import * as api from '@/api/session'

export const useMenuStore = defineStore('menu', {
  state: () => ({
    areas: [], // [{key, zh, en, icon, children: [{key, zh, en, path}]}]
    status: 'idle' // idle | loading | loaded | failed
  }),
  actions: {
    // load fetches the menu; a failure leaves an empty menu and status 'failed'
    // (request.js has already told the user why).
    async load() {
      this.status = 'loading'
      try {
        const data = await api.menu()
        this.areas = sanitize(data && data.menu)
        this.status = 'loaded'
      } catch {
        this.areas = []
        this.status = 'failed'
      }
    },
    clear() {
      this.areas = []
      this.status = 'idle'
    }
  },
  getters: {
    // findByPath(path) -> {area, item} for the menu entry whose path is `path`, or null.
    findByPath: (state) => (path) => {
      const wanted = normalizePath(path)
      for (const area of state.areas) {
        const item = area.children.find((c) => normalizePath(c.path) === wanted)
        if (item) return { area, item }
      }
      return null
    }
  }
})

function normalizePath(path) {
  const p = String(path || '').replace(/\/+$/, '')
  return p === '' ? '/' : p
}

// Keep only well-formed entries, so one odd rule entry cannot break the whole menu.
function sanitize(list) {
  if (!Array.isArray(list)) return []
  return list
    .filter((a) => a && typeof a.key === 'string')
    .map((a) => ({
      key: a.key,
      zh: a.zh || '',
      en: a.en || '',
      icon: a.icon || '',
      children: (Array.isArray(a.children) ? a.children : [])
        .filter((c) => c && typeof c.key === 'string' && typeof c.path === 'string' && c.path.startsWith('/'))
        .map((c) => ({ key: c.key, zh: c.zh || '', en: c.en || '', path: c.path }))
    }))
}
