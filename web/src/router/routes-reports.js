// Routes of the reports area (客户报表, issue 6): the business portal, the catalogue
// (all, or the menu's query / statistics / custom groups), one report, and the custom
// report builder. Spread into the layout's children in routes.js, above the catch-all.
// Every page is loaded on first visit (ECharts comes with the first chart).
import { useSessionStore } from '@/stores/session'

const Catalogue = () => import('@/views/reports/ReportCatalogue.vue')
const Builder = () => import('@/views/reports/ReportBuilder.vue')

// Designing reports is for admins and managers (the server checks it again); anyone
// else gets the catch-all's "page not found".
function designersOnly(to) {
  if (['admin', 'manager'].includes(useSessionStore().user?.role)) return true
  return { name: 'menu-page', params: { pathMatch: to.path.split('/').filter(Boolean) }, replace: true }
}

// Report names: q01_..., s01_..., c_<slug> (lowercase ascii, digits, _).
const NAME = ':name([a-z][a-z0-9_]*)'

export const reportRoutes = [
  { path: 'reports', name: 'reports', component: Catalogue, meta: { group: 'all' } },
  { path: 'reports/query', name: 'reports-query', component: Catalogue, meta: { group: 'query' } },
  { path: 'reports/stats', name: 'reports-stats', component: Catalogue, meta: { group: 'stat' } },
  { path: 'reports/custom', name: 'reports-custom', component: Catalogue, meta: { group: 'custom' } },
  { path: 'reports/portal', name: 'reports-portal', component: () => import('@/views/reports/PortalPage.vue') },
  { path: 'reports/new', name: 'report-new', component: Builder, beforeEnter: designersOnly },
  { path: `reports/${NAME}/edit`, name: 'report-edit', component: Builder, beforeEnter: designersOnly },
  { path: `reports/${NAME}`, name: 'report', component: () => import('@/views/reports/ReportView.vue') }
]
