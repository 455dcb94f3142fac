// Active colleagues, for the pickers and for showing staff ids by name; loaded once.
import { defineStore } from 'pinia'
import { list } from '@/api/staff'

let pending = null

export const useStaffStore = defineStore('staff', {
  state: () => ({
    items: [], // [{id, login, name, role, department_id, department}]
    loaded: false
  }),
  getters: {
    byId: (state) => (id) => state.items.find((s) => s.id === Number(id)) || null,
    // groups -> [{department, items}] in the server's order, for grouped pickers.
    groups: (state) => {
      const out = new Map()
      for (const s of state.items) {
        const key = s.department || ''
        if (!out.has(key)) out.set(key, { department: key, items: [] })
        out.get(key).items.push(s)
      }
      return [...out.values()]
    }
  },
  actions: {
    load() {
      if (this.loaded) return Promise.resolve()
      if (!pending) {
        pending = list()
          .then((data) => {
            this.items = Array.isArray(data && data.items) ? data.items : []
            this.loaded = true
          })
          .catch(() => {})
          .finally(() => {
            pending = null
          })
      }
      return pending
    }
  }
})
