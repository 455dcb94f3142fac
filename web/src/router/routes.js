// Route table. Menu pages that have no view of their own yet fall through to the
// catch-all, which shows "arrives in a later release" for a known menu path and
// "page not found" otherwise; later releases add their routes above it.
import { fieldRoutes } from './routes-field'
import { orgRoutes } from './routes-org'
import { importRoutes } from './routes-import'
import { reportRoutes } from './routes-reports'

const CustomerList = () => import('@/views/customers/CustomerList.vue')

// The customer lists of rules/menu.lua, each with the view it shows (views.js).
const customerLists = [
  ['mine', 'mine'],
  ['shared-by-me', 'shared_by_me'],
  ['shared-with-me', 'shared_with_me'],
  ['pool', 'pool'],
  ['admin', 'admin']
].map(([path, view]) => ({
  path: `customers/${path}`,
  name: `customers-${path}`,
  component: CustomerList,
  meta: { view }
}))

export const routes = [
  {
    path: '/login',
    name: 'login',
    component: () => import('@/views/login/LoginView.vue'),
    meta: { public: true }
  },
  {
    path: '/',
    component: () => import('@/layout/AppLayout.vue'),
    children: [
      { path: '', name: 'home', component: () => import('@/views/home/HomeView.vue') },
      { path: 'account', name: 'account', component: () => import('@/views/account/AccountView.vue') },
      ...customerLists,
      {
        path: 'customers/:id(\\d+)',
        name: 'customer',
        component: () => import('@/views/customers/CustomerDetail.vue')
      },
      {
        path: 'workflows/new-customer',
        name: 'new-customer',
        component: () => import('@/views/workflows/NewCustomer.vue')
      },
      { path: 'workflows/change', name: 'change', component: () => import('@/views/workflows/Change.vue') },
      { path: 'workflows/transfer', name: 'transfer', component: () => import('@/views/workflows/Transfer.vue') },
      { path: 'documents', name: 'my-documents', component: () => import('@/views/workflows/MyDocuments.vue') },
      {
        path: 'documents/:id(\\d+)',
        name: 'document',
        component: () => import('@/views/workflows/DocumentView.vue')
      },
      { path: 'todos', name: 'todos', component: () => import('@/views/todos/Todos.vue') },
      {
        path: 'notifications',
        name: 'notifications',
        component: () => import('@/views/notifications/Notifications.vue')
      },
      ...fieldRoutes,
      ...orgRoutes,
      ...importRoutes,
      ...reportRoutes,
      {
        path: ':pathMatch(.*)*',
        name: 'menu-page',
        component: () => import('@/views/placeholder/PlaceholderView.vue')
      }
    ]
  }
]
