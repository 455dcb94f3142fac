// The department tree (GET /departments), shared by the org, targets and progress
// pages; reloaded after an admin changes it.
import { defineStore } from 'pinia'
import { departments } from '@/api/org'
import { buildTree } from '@/utils/orgTree'

let pending = null

export const useDepartmentStore = defineStore('departments', {
  state: () => ({
    items: [], // [{id, parent_id, name, manager_id, manager, staff_count}]
    loaded: false
  }),
  getters: {
    tree: (state) => buildTree(state.items),
    byId: (state) => (id) => state.items.find((d) => d.id === Number(id)) || null
  },
  actions: {
    // load() fetches once; load({force: true}) again (after a change).
    load({ force = false } = {}) {
      if (this.loaded && !force) return Promise.resolve()
      if (!pending) {
        pending = departments()
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
