// Row visibility of the archive (CUS-MY, CUS-SHARED-BY-ME, CUS-SHARED-WITH-ME,
// CUS-POOL, CUS-ADMIN, CUS-DETAIL, PLT-AUTH): a generated matrix of
// role x relation x action.  Roles: sales1, sales2 (shared with), sales4,
// manager1, manager2, director, admin.  Relations: a customer of sales1, one
// of sales4, one sales1 shares with sales2, one sales4 shares with sales1, one
// in the pool.  Actions: the customer page and its timeline (200 or 404:
// invisible looks missing), and presence in each view (mine, shared_by_me,
// shared_with_me, pool, all; all is 403 for salespeople).  Then the list
// totals of every role and view against counts made in SQL, the type-tree
// filter (a node means its subtree), search by name part, number, contact and
// phone, sorting and paging.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'

import {
  api, newCustomer, list, detail, timeline, open, closeAll, sql, sqlInt, lit, tag
} from './archive-lib.mjs'
import { errorOf } from './lib.mjs'

const ROLES = ['sales1', 'sales2', 'sales4', 'manager1', 'manager2', 'director', 'admin']
const VIEWS = ['mine', 'shared_by_me', 'shared_with_me', 'pool', 'all']
// Departments of the demo org (who is where, and who heads what).
const DEPT = { sales1: 1, sales2: 1, sales3: 1, manager1: 1, sales4: 2, sales5: 2, sales6: 2, manager2: 2 }
const HEADS = { manager1: 1, manager2: 2 }
const roleOf = (l) => (l.startsWith('sales') ? 'salesperson' : l.startsWith('manager') ? 'manager' : l)

const S = {} // login -> session
const C = {} // relation -> {id, number, name, owner (login|null), shared: [logins]}
const T = tag()

after(closeAll)

before(async () => {
  for (const l of ROLES) S[l] = await open(l)
  const phone = `139${String(Date.now()).slice(-8)}`
  const own = await newCustomer(S.sales1, `可见自有${T}有限公司`, { phone, contact: `联系人${T}` })
  const other = await newCustomer(S.sales4, `可见他部${T}有限公司`)
  const shared = await newCustomer(S.sales1, `可见共享${T}有限公司`, { share_with: [S.sales2.user.id] })
  const sharedIn = await newCustomer(S.sales4, `可见共入${T}有限公司`, { share_with: [S.sales1.user.id] })
  const pool = (await sql('select id, number, name from customers where owner_id is null order by id desc limit 1'))[0]
  C.own = { ...own, owner: 'sales1', shared: [], phone, contact: `联系人${T}`, name: `可见自有${T}有限公司` }
  C.otherDept = { ...other, owner: 'sales4', shared: [] }
  C.sharedOut = { ...shared, owner: 'sales1', shared: ['sales2'] }
  C.sharedIn = { ...sharedIn, owner: 'sales4', shared: ['sales1'] }
  C.pool = { id: Number(pool[0]), number: pool[1], name: pool[2], owner: null, shared: [] }
})

// The expected answers, from the rules as the requirements state them.
function sees(who, c) {
  const r = roleOf(who)
  if (r === 'director' || r === 'admin') return true
  if (c.owner === null || c.owner === who || c.shared.includes(who)) return true
  return r === 'manager' && DEPT[c.owner] === HEADS[who]
}
function inViewExpected(who, view, c) {
  const r = roleOf(who)
  switch (view) {
    case 'mine': return c.owner === who || c.shared.includes(who)
    case 'shared_by_me': return c.owner === who && c.shared.length > 0
    case 'shared_with_me': return c.shared.includes(who)
    case 'pool': return c.owner === null
    case 'all':
      if (r === 'salesperson') return 'forbidden'
      if (r === 'director' || r === 'admin') return true
      return c.owner !== null && DEPT[c.owner] === HEADS[who]
  }
  throw new Error(view)
}

for (const who of ROLES) {
  for (const rel of ['own', 'otherDept', 'sharedOut', 'sharedIn', 'pool']) {
    test(`matrix: ${who} x ${rel}`, async () => {
      const s = S[who]
      const c = C[rel]
      const vis = sees(who, c)
      const d = await detail(s, c.id)
      assert.equal(d.status, vis ? 200 : 404, `detail: ${d.text.slice(0, 200)}`)
      const tl = await timeline(s, c.id)
      assert.equal(tl.status, vis ? 200 : 404, 'timeline')
      if (vis) {
        const cu = d.json.customer
        assert.equal(cu.number, c.number)
        assert.equal(cu.owner ? cu.owner.id : null, c.owner ? S[c.owner].user.id : null)
        assert.equal(cu.can.claim, c.owner === null)
        assert.equal(cu.can.transfer, c.owner === who)
      } else {
        assert.equal(errorOf(d).code, 'not_found')
        assert.equal(d.text.includes(c.number), false, 'nothing leaks')
      }
      for (const view of VIEWS) {
        const r = await list(s, { view, q: c.number, size: 100 })
        const want = inViewExpected(who, view, c)
        if (want === 'forbidden') {
          assert.equal(r.status, 403, `view=${view}: ${r.text}`)
          assert.equal(errorOf(r).code, 'forbidden')
          continue
        }
        assert.equal(r.status, 200, `view=${view}: ${r.text}`)
        const found = r.json.items.filter((x) => x.number === c.number)
        assert.equal(found.length, want ? 1 : 0, `view=${view}: ${who} ${want ? 'should' : 'should not'} see ${rel} ${c.number}`)
        assert.equal(r.json.view, view)
      }
    })
  }
}

// The list counts up to 1,000 rows (tests/api/list-cap.test.mjs).
const CAP = 1000
const capped = (n) => Math.min(n, CAP)

// Counts in SQL, independent of the server's views: what each role may see.
async function expectedTotal(who, view) {
  const id = S[who].user.id
  const shares = `exists (select 1 from customer_shares sh where sh.customer_id = c.id and sh.staff_id = ${id})`
  const anyShare = 'exists (select 1 from customer_shares sh where sh.customer_id = c.id)'
  switch (view) {
    case 'mine': return sqlInt(`select count(*) from customers c where c.owner_id = ${id} or ${shares}`)
    case 'shared_by_me': return sqlInt(`select count(*) from customers c where c.owner_id = ${id} and ${anyShare}`)
    case 'shared_with_me': return sqlInt(`select count(*) from customers c where ${shares}`)
    case 'pool': return sqlInt('select count(*) from customers where owner_id is null')
    case 'all': {
      const r = roleOf(who)
      if (r === 'director' || r === 'admin') return sqlInt('select count(*) from customers')
      // A department head: customers owned by the people of the department(s) they head.
      return sqlInt(
        `select count(*) from customers c join staff s on s.id = c.owner_id join departments d on d.id = s.department_id where d.manager_id = ${id}`
      )
    }
  }
  throw new Error(view)
}

test('list totals: every role x view equals the count made in SQL; view=all is 403 for salespeople', async () => {
  for (const who of ROLES) {
    for (const view of VIEWS) {
      const r = await list(S[who], { view, size: 5 })
      if (view === 'all' && roleOf(who) === 'salesperson') {
        assert.equal(r.status, 403, `${who} view=all`)
        continue
      }
      assert.equal(r.status, 200, `${who} view=${view}: ${r.text}`)
      const want = await expectedTotal(who, view)
      assert.equal(r.json.total, capped(want), `${who} view=${view}: total`)
      assert.equal(r.json.total_more, want > CAP, `${who} view=${view}: total_more`)
      assert.equal(r.json.items.length, Math.min(5, want), `${who} view=${view}: page size`)
    }
  }
  // The demo department of manager1 is manager1 and sales1-3 (the brief's own count).
  const m1all = (await list(S.manager1, { view: 'all', size: 1 })).json.total
  assert.equal(
    m1all,
    capped(await sqlInt("select count(*) from customers c join staff s on s.id = c.owner_id where s.login in ('manager1','sales1','sales2','sales3') or s.department_id = (select department_id from staff where login = 'manager1')")),
    'manager1 view=all: manager1 + sales1-3 (and anyone else in 销售一部)'
  )
  // The views and the pages agree on visibility: every row of manager1's
  // view=all is in 销售一部, and none of sales4's customers is there.
  const seen = await allItems(S.manager1, { view: 'all' })
  const depts = new Map((await sql('select id, department_id from staff')).map((r) => [Number(r[0]), Number(r[1])]))
  for (const x of seen) assert.equal(depts.get(x.owner_id), depts.get(S.manager1.user.id), `${x.number} owned by ${x.owner}`)
  assert.equal(capped(seen.length), m1all)
  const bad = await list(S.sales1, { view: 'everything' })
  assert.equal(bad.status, 400)
})

async function allItems(s, params) {
  const out = []
  for (let page = 1; ; page++) {
    const r = await list(s, { ...params, size: 100, page })
    assert.equal(r.status, 200, r.text)
    out.push(...r.json.items)
    if (r.json.items.length < 100) return out
  }
}

function subtree(nodes, code) {
  for (const n of nodes) {
    if (n.code === code) {
      const out = []
      const walk = (m) => { out.push(m.code); for (const k of m.children || []) walk(k) }
      walk(n)
      return out
    }
    const found = subtree(n.children || [], code)
    if (found) return found
  }
  return null
}

test('type filter: a node of the type tree means that type and everything under it', async () => {
  const cfg = await api('GET', '/api/v1/config', { cookie: S.director.cookie })
  assert.equal(cfg.status, 200, cfg.text)
  const tree = cfg.json.customer_types
  for (const node of ['enterprise', 'enterprise_sme', 'gov', 'individual']) {
    const codes = subtree(tree, node)
    assert.ok(codes, `${node} is in the tree`)
    const inList = codes.map(lit).join(',')
    const want = await sqlInt(`select count(*) from customers where type_code in (${inList})`)
    const items = await allItems(S.director, { view: 'all', type: node })
    assert.equal(items.length, want, `${node}: ${codes}`)
    for (const x of items) assert.ok(codes.includes(x.type), `${x.number} of type ${x.type} under ${node}`)
    const r = await list(S.director, { view: 'all', type: node, size: 1 })
    assert.equal(r.json.total, capped(want))
    if (codes.length > 1) assert.ok(want > 0, `${node}: the demo data has customers under it`)
  }
  // A parent's total is the sum of its subtypes' totals (the demo uses leaves).
  const t = async (type) => (await list(S.director, { view: 'all', type, size: 1 })).json.total
  assert.equal(
    await t('enterprise'),
    capped((await t('enterprise_large')) + (await t('enterprise_sme')) + (await sqlInt("select count(*) from customers where type_code = 'enterprise'")))
  )
  // In a salesperson's own view too.
  const codes = subtree(tree, 'gov').map(lit).join(',')
  const id = S.sales1.user.id
  const want = await sqlInt(
    `select count(*) from customers c where (c.owner_id = ${id} or exists (select 1 from customer_shares sh where sh.customer_id = c.id and sh.staff_id = ${id})) and c.type_code in (${codes})`
  )
  assert.equal((await list(S.sales1, { view: 'mine', type: 'gov', size: 1 })).json.total, want)
  // An unknown type matches nothing.
  assert.equal((await list(S.director, { view: 'all', type: 'no_such_type' })).json.total, 0)
})

test('search: part of a name, the number, the contact, the phone', async () => {
  const s = S.sales1
  const only = async (params, what) => {
    const r = await list(s, { view: 'mine', ...params })
    assert.equal(r.status, 200, r.text)
    assert.deepEqual(r.json.items.map((x) => x.number), [C.own.number], `${what}: ${JSON.stringify(params)}`)
    assert.equal(r.json.total, 1, what)
  }
  await only({ q: `自有${T}` }, 'part of the name')
  await only({ q: C.own.number }, 'the number')
  await only({ q: `联系人${T}` }, 'the contact')
  await only({ q: C.own.phone }, 'the phone')
  await only({ q: C.own.phone.slice(-8) }, 'part of the phone')
  // Someone who may not see it finds nothing by its number.
  assert.equal((await list(S.sales4, { view: 'mine', q: C.own.number })).json.total, 0)
  // A common word across the archive: the same rows SQL finds (case-insensitive).
  const q = '华信'
  const want = await sqlInt(
    `select count(*) from customers where strpos(lower(name), ${lit(q)}) > 0 or strpos(lower(number), ${lit(q)}) > 0 or strpos(lower(coalesce(contact, '')), ${lit(q)}) > 0 or strpos(coalesce(phone, ''), ${lit(q)}) > 0`
  )
  const items = await allItems(S.director, { view: 'all', q })
  assert.ok(want > 1)
  assert.equal(items.length, want)
  for (const x of items) assert.ok([x.name, x.number, x.contact, x.phone].some((v) => (v || '').includes(q)), x.name)
  // Letters are found whatever their case.
  const lower = await list(S.sales1, { view: 'mine', q: C.own.number.toLowerCase() })
  assert.deepEqual(lower.json.items.map((x) => x.number), [C.own.number])
})

test('sorting and paging: pages are the SQL order, disjoint, sized, with one total', async () => {
  const n = await sqlInt('select count(*) from customers')
  for (const [sort, order] of [['name', 'name asc, id desc'], ['-name', 'name desc, id desc'], ['number', 'number asc, id desc'], ['-number', 'number desc, id desc']]) {
    const want = (await sql(`select id from customers order by ${order} limit 20`)).map((r) => Number(r[0]))
    const p1 = await list(S.director, { view: 'all', sort, size: 10, page: 1 })
    const p2 = await list(S.director, { view: 'all', sort, size: 10, page: 2 })
    assert.equal(p1.status, 200, p1.text)
    assert.equal(p1.json.items.length, 10, 'size respected')
    assert.equal(p2.json.items.length, 10)
    assert.deepEqual(p1.json.items.map((x) => x.id), want.slice(0, 10), `sort=${sort} page 1`)
    assert.deepEqual(p2.json.items.map((x) => x.id), want.slice(10, 20), `sort=${sort} page 2`)
    assert.equal(p1.json.total, capped(n))
    assert.equal(p2.json.total, capped(n))
    assert.equal(p1.json.page, 1)
    assert.equal(p2.json.page, 2)
  }
  // Walking every page gives every row once.
  const all = await allItems(S.director, { view: 'all', sort: 'name' })
  assert.equal(all.length, n)
  assert.equal(new Set(all.map((x) => x.id)).size, n)
  // Bad paging parameters.
  for (const bad of [{ size: 0 }, { size: 101 }, { page: 0 }, { page: 'x' }, { sort: 'owner' }]) {
    const r = await list(S.director, { view: 'all', ...bad })
    assert.equal(r.status, 400, JSON.stringify(bad))
  }
})

test('a page past the end is empty but still reports the real total', async () => {
  const n = (await list(S.sales1, { view: 'mine', size: 1 })).json.total
  assert.ok(n > 0)
  const r = await list(S.sales1, { view: 'mine', size: 20, page: Math.ceil(n / 20) + 1 })
  assert.equal(r.status, 200, r.text)
  assert.deepEqual(r.json.items, [])
  assert.equal(r.json.total, n, 'total must not depend on the page asked for')
})

test('search takes % and _ literally, not as wildcards', async () => {
  const s = await open('sales1')
  for (const q of ['%', '_', '\\']) {
    const r = await list(s, { view: 'mine', q, size: 100 })
    assert.equal(r.status, 200, r.text)
    assert.equal(r.json.total, 0, `q=${q} matched ${r.json.total}`)
  }
})
