// Field-work pages (issue 4), children of the logged-in layout (routes.js spreads them
// above its catch-all). /scan is where a customer's QR code leads: a logged-out person
// goes through the login page and comes back with the code (guard.js keeps the query).
const AmountPage = () => import('@/views/fieldwork/AmountPage.vue')

export const fieldRoutes = [
  { path: 'scan', name: 'scan', component: () => import('@/views/fieldwork/ScanView.vue') },
  { path: 'workflows/visit', name: 'visit', component: () => import('@/views/fieldwork/VisitPage.vue') },
  { path: 'workflows/deal', name: 'deal', component: AmountPage, props: { kind: 'deal' } },
  { path: 'workflows/payment', name: 'payment', component: AmountPage, props: { kind: 'payment' } },
  {
    path: 'workflows/daily-report',
    name: 'daily-report',
    component: () => import('@/views/fieldwork/DailyReportPage.vue')
  },
  { path: 'customers/qr-sheet', name: 'qr-sheet', component: () => import('@/views/fieldwork/QrSheet.vue') }
]
