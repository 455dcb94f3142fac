// Routes of the staff and targets area (人员指标): the paths of rules/menu.lua's "staff"
// items. They are spread into the layout's children in routes.js, above the catch-all.
import { useSessionStore } from '@/stores/session'

// The org page is the admin's (the server refuses its changes to anyone else): others
// get the catch-all's "page not found", as for any path outside their menu.
function adminOnly(to) {
  if (useSessionStore().user?.role === 'admin') return true
  return { name: 'menu-page', params: { pathMatch: to.path.split('/').filter(Boolean) }, replace: true }
}

export const orgRoutes = [
  {
    path: 'staff/org',
    name: 'staff-org',
    component: () => import('@/views/staff/OrgView.vue'),
    beforeEnter: adminOnly
  },
  { path: 'staff/targets', name: 'staff-targets', component: () => import('@/views/staff/TargetsView.vue') },
  { path: 'staff/progress', name: 'staff-progress', component: () => import('@/views/staff/ProgressView.vue') }
]
