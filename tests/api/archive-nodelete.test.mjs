// No delete, and no export for salespeople (PLT-NODELETE): the API has no method
// that deletes a customer or a document; the exports (customers, reports) refuse
// salespeople; every attempt is refused and the customer is still there.  The
// archive changes only through documents.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'

import { api, submit, list, detail, open, closeAll, sqlInt } from './archive-lib.mjs'
import { errorOf } from './lib.mjs'

after(closeAll)

test('a salesperson cannot delete a customer: DELETE -> 403, PUT/PATCH/POST -> 405, and the customer is still there', async () => {
  const s = await open('sales1')
  const c = (await list(s, { view: 'mine', size: 100 })).json.items.find((x) => x.owner_id === s.user.id)
  assert.ok(c, 'sales1 owns a customer')
  const before = await sqlInt('select count(*) from customers')
  const attempts = [
    ['DELETE', `/api/v1/customers/${c.id}`],
    ['PUT', `/api/v1/customers/${c.id}`],
    ['PATCH', `/api/v1/customers/${c.id}`],
    ['POST', `/api/v1/customers/${c.id}`],
    ['DELETE', '/api/v1/customers'],
    ['POST', '/api/v1/customers'],
    ['DELETE', `/api/v1/customers/${c.id}/timeline`]
  ]
  for (const [method, path] of attempts) {
    for (const csrf of [s.csrf, undefined]) {
      const opts = { cookie: s.cookie, csrf }
      if (method !== 'DELETE') opts.body = { name: '改名', owner_id: null }
      const r = await api(method, path, opts)
      if (method === 'DELETE' && path === `/api/v1/customers/${c.id}`) {
        // A delete is refused outright: without the token as a CSRF failure,
        // with it because nothing in the archive is ever deleted.
        assert.equal(r.status, 403, `${method} ${path}: ${r.text}`)
        assert.equal(errorOf(r).code, csrf ? 'forbidden' : 'csrf')
        continue
      }
      assert.equal(r.status, 405, `${method} ${path}${csrf ? '' : ' (no CSRF token)'}: ${r.text}`)
      assert.equal(errorOf(r).code, 'method_not_allowed')
    }
  }
  const d = await detail(s, c.id)
  assert.equal(d.status, 200)
  assert.equal(d.json.customer.name, c.name)
  assert.equal(d.json.customer.owner.id, s.user.id)
  assert.equal(await sqlInt('select count(*) from customers'), before, 'no row removed')
  assert.equal(await sqlInt(`select count(*) from customers where id = ${c.id} and owner_id = ${s.user.id}`), 1)
})

test('nobody deletes through the API, whatever the role; documents cannot be deleted either', async () => {
  for (const l of ['manager1', 'director', 'admin']) {
    const s = await open(l)
    const c = (await list(s, { view: 'all', size: 1 })).json.items[0]
    const r = await api('DELETE', `/api/v1/customers/${c.id}`, { cookie: s.cookie, csrf: s.csrf })
    assert.equal(r.status, 403, `${l}: ${r.text}`)
    assert.equal(errorOf(r).code, 'forbidden')
    assert.equal((await detail(s, c.id)).status, 200)
  }
  const s = await open('sales1')
  const docs = await api('GET', '/api/v1/documents', { cookie: s.cookie })
  assert.equal(docs.status, 200)
  if (docs.json.items.length > 0) {
    const id = docs.json.items[0].id
    const r = await api('DELETE', `/api/v1/documents/${id}`, { cookie: s.cookie, csrf: s.csrf })
    assert.equal(r.status, 403, r.text)
    assert.equal((await api('GET', `/api/v1/documents/${id}`, { cookie: s.cookie })).status, 200)
  }
  // No document kind deletes a customer.
  const k = await submit(s, 'customer_delete', { customer_id: 1 })
  assert.equal(k.status, 400, k.text)
  assert.equal(errorOf(k).field, 'kind')
})

test('a salesperson has no export: the exports refuse them, lists are JSON pages of at most 100 rows', async () => {
  const s = await open('sales1')
  for (const path of [
    '/api/v1/customers/export',
    '/api/v1/customers/export.csv',
    '/api/v1/customers/1/export',
    '/api/v1/export/customers',
    '/api/v1/export'
  ]) {
    const r = await api('GET', path, { cookie: s.cookie })
    assert.equal(r.status, 404, `${path}: ${r.status} ${r.text.slice(0, 200)}`)
  }
  // The real exports (managers, directors, admin) refuse a salesperson.
  for (const path of ['/api/v1/exports/customers', '/api/v1/reports/q09_customers/export']) {
    const r = await api('GET', path, { cookie: s.cookie })
    assert.equal(r.status, 403, `${path}: ${r.status} ${r.text.slice(0, 200)}`)
    assert.equal(r.headers.get('content-disposition'), null)
  }
  const csv = await api('GET', '/api/v1/customers?view=mine&format=csv', { cookie: s.cookie, headers: { accept: 'text/csv' } })
  assert.equal(csv.status, 200)
  assert.match(csv.headers.get('content-type') || '', /application\/json/, 'never a file')
  assert.equal(csv.headers.get('content-disposition'), null)
  const big = await list(s, { view: 'mine', size: 1000 })
  assert.equal(big.status, 400, 'no bulk page')
  assert.equal(errorOf(big).field, 'size')
})
