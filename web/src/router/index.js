// The router: history mode (nginx falls back to index.html), guarded.
import { createRouter, createWebHistory } from 'vue-router'
import { routes } from './routes'
import { installGuard } from './guard'

export const router = createRouter({
  history: createWebHistory(),
  routes,
  scrollBehavior: () => ({ top: 0 })
})

installGuard(router)

// A page's code is loaded when first visited. After a new version is deployed, the
// files of the old one are gone and that load fails: load the page afresh at the
// address the user was going to (once per address a minute, so a broken server cannot
// make it loop).
const CHUNK_FAILED = /dynamically imported module|Importing a module script failed|Loading chunk|module script/i
const RELOAD_KEY = 'crm.reloadedFor'
router.onError((error, to) => {
  if (!CHUNK_FAILED.test(String(error && error.message))) return
  let last = null
  try {
    last = JSON.parse(sessionStorage.getItem(RELOAD_KEY) || 'null')
    sessionStorage.setItem(RELOAD_KEY, JSON.stringify({ path: to.fullPath, at: Date.now() }))
  } catch {
    /* storage disabled: still reload once */
  }
  if (last && last.path === to.fullPath && Date.now() - last.at < 60000) return
  window.location.assign(to.fullPath)
})
