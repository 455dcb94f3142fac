// The customer lists behind the menu paths (rules/menu.lua): which API view each one
// asks for and which quick actions it offers (CUS-MY, CUS-SHARED-BY-ME,
// CUS-SHARED-WITH-ME, CUS-POOL, CUS-ADMIN).
//   toolbar: page actions   rows: per-customer actions
//   new (new customer) · transfer · visit (a later release) · change (info change) ·
//   share (info change of the share scope) · claim (from the pool)
export const CUSTOMER_VIEWS = {
  mine: { api: 'mine', path: '/customers/mine', toolbar: ['new', 'transfer', 'visit'], rows: ['change', 'transfer'] },
  shared_by_me: { api: 'shared_by_me', path: '/customers/shared-by-me', toolbar: [], rows: ['share', 'change'] },
  shared_with_me: { api: 'shared_with_me', path: '/customers/shared-with-me', toolbar: [], rows: ['change'] },
  pool: { api: 'pool', path: '/customers/pool', toolbar: [], rows: ['claim'], noOwner: true },
  admin: { api: 'all', path: '/customers/admin', toolbar: [], rows: ['change', 'share'] }
}
