// The customer list's totals are counted only so far (fcgi/h_customers.c:
// 1,000 rows): counting the whole pool or every match of a two-letter
// search would scan the archive on every page.  Past the cap the
// answer says total_more and the total is the cap; below it the total is
// exact.  The rows come in through the real import (1,050 pool customers).
import { before, after, test } from 'node:test'
import assert from 'node:assert/strict'

import { api } from './lib.mjs'
import { open, closeAll, sqlInt, tag, lit } from './archive-lib.mjs'
import { upload, submitImport, csv, withBom, HEADER_ZH } from './import-lib.mjs'

const T = tag()
const N = 1050
let admin, director, sales

const list = (s, params) => api('GET', `/api/v1/customers?${new URLSearchParams(params)}`, { cookie: s.cookie })

before(async () => {
  admin = await open('admin')
  director = await open('director')
  sales = await open('sales1')
  const rows = [HEADER_ZH.split(',')]
  for (let i = 0; i < N; i++) {
    rows.push([`上限${T}号${i}`, '杭州市西湖区文三路1号', '陈先生', '0571-88886666', '华东', '中小企业', '转介绍', '', '', ''])
  }
  const pre = await upload(admin, withBom(csv(rows)), 'cap.csv')
  assert.equal(pre.status, 201, pre.text.slice(0, 300))
  assert.equal(pre.json.import.good, N)
  const doc = await submitImport(admin, pre.json.import.id, 'all')
  assert.equal(doc.status, 201, doc.text.slice(0, 300))
  assert.equal(await sqlInt(`select count(*) from customers where name like ${lit(`上限${T}号%`)}`), N)
})
after(closeAll)

test('a search with more than 1,000 matches answers 1,000 and total_more, in every view that sees them', async () => {
  for (const [s, view] of [[director, 'all'], [sales, 'pool'], [admin, 'all']]) {
    const r = await list(s, { view, q: `上限${T}`, size: 20 })
    assert.equal(r.status, 200, r.text)
    assert.equal(r.json.total, 1000, `${view}: the cap`)
    assert.equal(r.json.total_more, true, `${view}: more than the cap`)
    assert.equal(r.json.items.length, 20)
    for (const x of r.json.items) assert.ok(x.name.startsWith(`上限${T}号`), x.name)
  }
  // Pages past the counted total still answer the rows that are there.
  const far = await list(director, { view: 'all', q: `上限${T}`, size: 100, page: 11 })
  assert.equal(far.status, 200, far.text)
  assert.equal(far.json.items.length, N - 1000)
})

test('below the cap the total is exact and total_more is false', async () => {
  // 号7, 号70-79, 号700-799: 111 rows.
  const r = await list(director, { view: 'all', q: `上限${T}号7`, size: 5 })
  assert.equal(r.status, 200, r.text)
  assert.equal(r.json.total, await sqlInt(`select count(*) from customers where name like ${lit(`上限${T}号7%`)}`))
  assert.equal(r.json.total, 111)
  assert.equal(r.json.total_more, false)
  // Without a search: the whole archive up to 1,000.
  const n = await sqlInt('select count(*) from customers')
  const all = await list(director, { view: 'all', size: 1 })
  assert.ok(n > 1000, 'the import made the archive larger than the cap')
  assert.equal(all.json.total, 1000)
  assert.equal(all.json.total_more, true)
  const pool = await list(sales, { view: 'pool', size: 1 })
  const np = await sqlInt('select count(*) from customers where owner_id is null')
  assert.equal(pool.json.total, Math.min(np, 1000))
  assert.equal(pool.json.total_more, np > 1000)
  // A view below the cap: a salesperson's own customers, exact.
  const mine = await list(sales, { view: 'mine', size: 1 })
  const nm = await sqlInt(`select count(*) from customers c where c.owner_id = ${sales.user.id} or exists (select 1 from customer_shares s where s.customer_id = c.id and s.staff_id = ${sales.user.id})`)
  assert.ok(nm < 1000, `sales1 owns ${nm}`)
  assert.equal(mine.json.total, nm)
  assert.equal(mine.json.total_more, false)
})
