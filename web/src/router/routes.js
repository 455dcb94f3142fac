// Route table. Menu pages that have no view of their own yet fall through to the
// catch-all, which shows "arrives in a later release" for a known menu path and
// "page not found" otherwise; later releases add their routes above it.
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
      {
        path: ':pathMatch(.*)*',
        name: 'menu-page',
        component: () => import('@/views/placeholder/PlaceholderView.vue')
      }
    ]
  }
]
