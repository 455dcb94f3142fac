// Transfers (WF-TRANSFER): some or all of my customers to a colleague with a
// reason; owners and both people's counts change by exactly n; the change
// history records the owner change; customers that are not mine are refused
// and nothing moves (all or nothing); the receiver's maximum is enforced.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'

import {
  submit, newCustomer, detail, timeline, total, open, closeAll, addStaff, sql, sqlInt, ownedCount, maxOf, setMax, tag
} from './archive-lib.mjs'
import { errorOf } from './lib.mjs'

after(closeAll)

const transfer = (s, data) => submit(s, 'transfer', data)
const ownerOf = async (ids) =>
  (await sql(`select owner_id from customers where id in (${ids.join(',')}) order by id`)).map((r) => (r[0] === '' ? null : Number(r[0])))

// n customers sales2 owns alone (no shares), lowest ids first.
async function ownedBy(login, n) {
  const rows = await sql(
    `select c.id from customers c join staff s on s.id = c.owner_id where s.login = '${login}' and not exists (select 1 from customer_shares sh where sh.customer_id = c.id) order by c.id limit ${n}`
  )
  assert.equal(rows.length, n, `${login} owns fewer than ${n} customers`)
  return rows.map((r) => Number(r[0]))
}

test('transfer three customers from sales2 to sales3: owners, counts, history', async () => {
  const s2 = await open('sales2')
  const s3 = await open('sales3')
  const ids = await ownedBy('sales2', 3)
  const [mine2, mine3] = [await total(s2, 'mine'), await total(s3, 'mine')]
  const [own2, own3] = [await ownedCount('sales2'), await ownedCount('sales3')]

  const r = await transfer(s2, { customer_ids: ids, to: s3.user.id, reason: 'territory', note: '区域调整，转交李娜' })
  assert.equal(r.status, 201, r.text)
  assert.equal(r.json.applied, true)
  assert.equal(r.json.document.status, 'approved')
  assert.equal(r.json.result.count, 3)

  assert.deepEqual(await ownerOf(ids), [s3.user.id, s3.user.id, s3.user.id])
  assert.equal(await ownedCount('sales2'), own2 - 3)
  assert.equal(await ownedCount('sales3'), own3 + 3)
  assert.equal(await total(s2, 'mine'), mine2 - 3, 'sales2 view=mine: -3')
  assert.equal(await total(s3, 'mine'), mine3 + 3, 'sales3 view=mine: +3')
  for (const id of ids) {
    assert.equal((await detail(s2, id)).status, 404, 'sales2 no longer sees it')
    const d = await detail(s3, id)
    assert.equal(d.json.customer.owner.id, s3.user.id)
    const tl = await timeline(s3, id)
    const own = tl.json.items.filter((x) => x.type === 'change' && x.field === 'owner' && x.document_id === r.json.document.id)
    assert.equal(own.length, 1, JSON.stringify(tl.json.items))
    assert.equal(own[0].before, s2.user.name)
    assert.equal(own[0].after, s3.user.name)
  }
})

test('a transfer of customers that are not mine is refused and nothing moves', async () => {
  const s2 = await open('sales2')
  const s3 = await open('sales3')
  const [notMine] = await ownedBy('sales4', 1)
  const [mine] = await ownedBy('sales2', 1)
  const before = await ownerOf([mine, notMine])
  const counts = [await ownedCount('sales2'), await ownedCount('sales3'), await ownedCount('sales4')]

  const one = await transfer(s2, { customer_ids: [notMine], to: s3.user.id, reason: 'other' })
  assert.equal(one.status, 409, one.text)
  const mixed = await transfer(s2, { customer_ids: [mine, notMine], to: s3.user.id, reason: 'other' })
  assert.equal(mixed.status, 409, mixed.text)
  assert.equal(errorOf(mixed).code, 'conflict')
  assert.equal(errorOf(mixed).field, 'customer_ids')

  assert.deepEqual(await ownerOf([mine, notMine]), before, 'all or nothing: the customer that was mine stays mine')
  assert.deepEqual([await ownedCount('sales2'), await ownedCount('sales3'), await ownedCount('sales4')], counts)
  // Form rules: a reason from the list, a receiver other than me, something to transfer.
  for (const [data, field] of [
    [{ customer_ids: [mine], to: s3.user.id, reason: 'boredom' }, 'reason'],
    [{ customer_ids: [mine], to: s2.user.id, reason: 'other' }, 'to'],
    [{ customer_ids: [], to: s3.user.id, reason: 'other' }, 'customer_ids'],
    [{ customer_ids: [mine], reason: 'other' }, 'to']
  ]) {
    const r = await transfer(s2, data)
    assert.equal(r.status, 422, `${JSON.stringify(data)}: ${r.text}`)
    assert.equal(errorOf(r).field, field)
  }
  assert.deepEqual(await ownerOf([mine, notMine]), before)
})

test('the receiver\'s maximum: two to someone one below it -> 409 limit, nothing moves; one fits exactly', async () => {
  const s2 = await open('sales2')
  const s3 = await open('sales3')
  const oldMax = await maxOf('sales3')
  const own3 = await ownedCount('sales3')
  const ids = await ownedBy('sales2', 2)
  await setMax('sales3', own3 + 1)
  try {
    const r = await transfer(s2, { customer_ids: ids, to: s3.user.id, reason: 'job_change' })
    assert.equal(r.status, 409, r.text)
    assert.equal(errorOf(r).code, 'limit')
    assert.equal(errorOf(r).field, 'to')
    assert.ok(errorOf(r).message.includes(s3.user.name), errorOf(r).message)
    assert.deepEqual(await ownerOf(ids), [s2.user.id, s2.user.id], 'nothing moved')
    assert.equal(await ownedCount('sales3'), own3)

    const one = await transfer(s2, { customer_ids: [ids[0]], to: s3.user.id, reason: 'job_change' })
    assert.equal(one.status, 201, one.text)
    assert.equal(await ownedCount('sales3'), own3 + 1, 'exactly at the maximum')
    const more = await transfer(s2, { customer_ids: [ids[1]], to: s3.user.id, reason: 'job_change' })
    assert.equal(more.status, 409, more.text)
    assert.equal(errorOf(more).code, 'limit')
  } finally {
    await setMax('sales3', oldMax)
  }
  assert.equal(await maxOf('sales3'), oldMax, 'max_customers restored')
})

test('transfer all: every customer of a leaving salesperson goes to the receiver', async () => {
  const leaver = await open(await addStaff('tleave'))
  const s3 = await open('sales3')
  const made = []
  for (let i = 0; i < 3; i++) made.push((await newCustomer(leaver, `全部转交${tag()}有限公司`)).id)
  assert.equal(await total(leaver, 'mine'), 3)
  const own3 = await ownedCount('sales3')
  const r = await transfer(leaver, { all: true, to: s3.user.id, reason: 'leaving', note: '离职交接' })
  assert.equal(r.status, 201, r.text)
  assert.equal(r.json.result.count, 3)
  assert.equal(await total(leaver, 'mine'), 0)
  assert.equal(await ownedCount('sales3'), own3 + 3)
  assert.deepEqual(await ownerOf(made), [s3.user.id, s3.user.id, s3.user.id])
  // Nothing left to transfer: refused.
  const again = await transfer(leaver, { all: true, to: s3.user.id, reason: 'leaving' })
  assert.equal(again.status, 409, again.text)
  assert.equal(await ownedCount('sales3'), own3 + 3)
  assert.equal(await sqlInt(`select count(*) from change_log where document_id = ${r.json.document.id} and field = 'owner'`), 3)
})
