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
