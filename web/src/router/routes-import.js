// Routes of the customer import (客户导入): the path of rules/menu.lua's
// "customers_import" item. Spread into the layout's children in routes.js, above the
// catch-all. Salespeople never import (the server refuses them too): they get the
// catch-all's "page not found", as for any path outside their menu.
import { useSessionStore } from '@/stores/session'

function importers(to) {
  const role = useSessionStore().user?.role
  if (role && role !== 'salesperson') return true
  return { name: 'menu-page', params: { pathMatch: to.path.split('/').filter(Boolean) }, replace: true }
}

export const importRoutes = [
  {
    path: 'customers/import',
    name: 'customers-import',
    component: () => import('@/views/imports/ImportView.vue'),
    beforeEnter: importers
  }
]
