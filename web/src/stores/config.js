// The configurable lists (regions, sources, stages, statuses, the customer-type tree),
// loaded once per session and kept: codes in lists and documents are shown by name.
import { defineStore } from 'pinia'
import { getConfig } from '@/api/config'

let pending = null

// Walk a tree of {code, children} depth-first.
function* walk(nodes, parents = []) {
  for (const node of nodes || []) {
    yield { node, parents }
    yield* walk(node.children, [...parents, node])
  }
}

export const LISTS = ['regions', 'sources', 'stages', 'statuses']

export const useConfigStore = defineStore('config', {
  state: () => ({
    regions: [],
    sources: [],
    stages: [],
    statuses: [],
    customerTypes: [], // [{code, zh, en, children}]
    map: { tile_url: null, attribution: null }, // the deployment's tile server (CUS-MAP)
    loaded: false
  }),
  getters: {
    // item(list, code) -> {code, zh, en} or null; list is one of LISTS, or 'types'.
    item: (state) => (list, code) => {
      if (code === null || code === undefined || code === '') return null
      if (list === 'types') {
        for (const { node } of walk(state.customerTypes)) if (node.code === code) return node
        return null
      }
      return (state[list] || []).find((o) => o.code === code) || null
    },
    // subtree(code) -> the codes of that type and every type below it.
    subtree: (state) => (code) => {
      for (const { node } of walk(state.customerTypes)) {
        if (node.code === code) return [...walk([node])].map((x) => x.node.code)
      }
      return []
    }
  },
  actions: {
    // load fetches the lists once; concurrent callers share the request. A failure is
    // shown by request.js and leaves codes shown as codes.
    load() {
      if (this.loaded) return Promise.resolve()
      if (!pending) {
        pending = getConfig()
          .then((data) => {
            for (const list of LISTS) this[list] = Array.isArray(data[list]) ? data[list] : []
            this.customerTypes = Array.isArray(data.customer_types) ? data.customer_types : []
            if (data.map && typeof data.map === 'object') this.map = data.map
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
