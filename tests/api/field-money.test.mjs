// Deals and payments (WF-DEAL, WF-PAY): amounts are exact decimals with two
// places (0.10 + 0.20 + 1234.55 is 1234.85, never a binary float); the
// customer's deal total, paid and remaining follow every deal and payment at
// once; 3 decimals, negative, zero and non-numbers are refused; a deal above
// 100000 waits for the manager (rules/deal.lua, rules/routing.lua) and changes
// nothing until approved; the salesperson's figures of the day count deals,
// payments and their amounts exactly; Idempotency-Key rules hold.
import { test, after, before } from 'node:test'
import assert from 'node:assert/strict'

import { api, errorOf } from './lib.mjs'
import { open, closeAll, detail, submit, decide, sql, sqlInt, sqlOne, poolIds, idemKey, HAN } from './archive-lib.mjs'
import { fieldPerson, placedCustomer, teamDay, literals, cents, toCents, upload, getBytes } from './field-lib.mjs'

after(closeAll)

let s, m1, c, day

before(async () => {
  s = await fieldPerson('fm')
  m1 = await open('manager1')
  c = await placedCustomer(s, null)
  day = teamDay()
})

const deal = (amount, o = {}, opts) => submit(s, 'deal', { customer_id: c.id, deal_date: day, amount, ...o }, opts)
const pay = (amount, o = {}, opts) => submit(s, 'payment', { customer_id: c.id, pay_date: day, amount, ...o }, opts)

// The customer's money as the database holds it (exact numeric text).
async function dbMoney() {
  const [row] = await sql(`select deal_total::text, paid_total::text, (deal_total - paid_total)::text from customers where id = ${c.id}`)
  return { deal: toCents(row[0]), paid: toCents(row[1]), remaining: toCents(row[2]) }
}
// Independent sums from the rows.
async function rowSums() {
  const d = await sqlOne(`select coalesce(sum(amount), 0)::text from deals where customer_id = ${c.id}`)
  const p = await sqlOne(`select coalesce(sum(amount), 0)::text from payments where customer_id = ${c.id}`)
  return { deal: toCents(d), paid: toCents(p) }
}
async function customerNow() {
  const r = await detail(s, c.id)
  assert.equal(r.status, 200, r.text)
  return r.json.customer
}
async function summary(who = s, d = day) {
  const r = await api('GET', `/api/v1/daily-summary?day=${d}`, { cookie: who.cookie })
  assert.equal(r.status, 200, r.text)
  return r
}
// Cents as the number a client reads (to compare with parsed JSON).
const num = (v) => Number(v) / 100

test('several deals and payments: deal total, paid and remaining exact to the cent', async () => {
  const deals = ['0.10', '0.20', '1234.55', 100]
  const pays = ['0.10', 1000, '0.05', '99.99']
  const start = await dbMoney()
  assert.deepEqual(start, { deal: 0n, paid: 0n, remaining: 0n })
  for (const a of deals) {
    const r = await deal(a, { notes: `成交 ${a}` })
    assert.equal(r.status, 201, r.text)
    assert.equal(r.json.applied, true, `a deal of ${a} needs no approval`)
    const id = r.json.result.deal
    assert.equal(await sqlOne(`select amount::text from deals where id = ${id}`), (Number(toCents(String(a))) / 100).toFixed(2))
  }
  for (const a of pays) {
    const r = await pay(a)
    assert.equal(r.status, 201, r.text)
    assert.equal(r.json.applied, true)
  }
  const db = await dbMoney()
  assert.equal(db.deal, 133485n, 'deal total 0.10 + 0.20 + 1234.55 + 100 = 1334.85')
  assert.equal(db.paid, 110014n, 'paid 0.10 + 1000 + 0.05 + 99.99 = 1100.14')
  assert.equal(db.remaining, 23471n, 'remaining 234.71')
  assert.deepEqual(await rowSums(), { deal: db.deal, paid: db.paid }, 'the totals are the sums of the rows')

  const cust = await customerNow()
  assert.equal(Number(cust.deal_total), 1334.85)
  assert.equal(Number(cust.paid_total), 1100.14)
  assert.equal(Number(cust.remaining), 234.71)
  assert.equal(cust.status, 'deal', 'a deal sets the status (rules/deal.lua)')

  const act = await api('GET', `/api/v1/customers/${c.id}/activity`, { cookie: s.cookie })
  assert.equal(act.status, 200, act.text)
  assert.equal(act.json.deals.length, deals.length)
  assert.equal(act.json.payments.length, pays.length)
  assert.deepEqual(act.json.deals.map((x) => Math.round(Number(x.amount) * 100)).sort((a, b) => a - b), [10, 20, 10000, 123455])
  assert.ok(act.json.deals.every((x) => x.document_id > 0 && x.deal_date === day))
})

test('amounts with 3 decimals, negative, zero or not a number: 422 on amount, nothing recorded', async () => {
  const before1 = await dbMoney()
  const docs = await sqlInt(`select count(*) from documents where applicant_id = ${s.user.id}`)
  const bad = ['1.234', '0.001', '10.999', '-5', -5, '0', 0, '0.00', 'abc', '1,000.00', '1e3', 12.5, 0.1, '12.', '.5', '', '１００', '1000000000000', '+5', '0x10', ' 5 5', null, true, [1]]
  for (const a of bad) {
    for (const [kind, send] of [['deal', deal], ['payment', pay]]) {
      const r = await send(a)
      assert.ok([400, 422].includes(r.status), `${kind} amount ${JSON.stringify(a)}: ${r.status} ${r.text}`)
      const e = errorOf(r)
      if (r.status === 422) assert.equal(e.field, 'amount', `${kind} ${JSON.stringify(a)}`)
      assert.match(e.message, HAN)
    }
  }
  // Missing customer, date, or a customer not theirs.
  assert.equal((await submit(s, 'deal', { customer_id: c.id, amount: '5' })).status, 422)
  assert.equal((await submit(s, 'payment', { customer_id: c.id, pay_date: 'today', amount: '5' })).status, 422)
  const [poolId] = await poolIds(1)
  assert.equal((await deal('5', { customer_id: poolId })).status, 403)
  assert.equal((await pay('5', { customer_id: poolId })).status, 403)
  const hidden = Number(await sqlOne("select c.id from customers c join staff o on o.id = c.owner_id where o.login = 'sales4' order by c.id limit 1"))
  assert.equal((await deal('5', { customer_id: hidden })).status, 404)
  assert.equal((await pay('5', { customer_id: hidden })).status, 404)

  assert.deepEqual(await dbMoney(), before1, 'no total changed')
  assert.equal(await sqlInt(`select count(*) from documents where applicant_id = ${s.user.id}`), docs, 'no document recorded')
  // One decimal and two are fine.
  const ok1 = await deal('0.5')
  assert.equal(ok1.status, 201, ok1.text)
  const ok2 = await pay('0.5')
  assert.equal(ok2.status, 201, ok2.text)
  const after1 = await dbMoney()
  assert.equal(after1.deal - before1.deal, 50n)
  assert.equal(after1.paid - before1.paid, 50n)
})

test('a deal above 100000 waits for the manager and changes nothing until approved; then the totals include it', async () => {
  const before1 = await dbMoney()
  const fig0 = (await summary()).json.summary
  const r = await deal('100000.01', { notes: '大单' })
  assert.equal(r.status, 201, r.text)
  assert.equal(r.json.applied, false)
  const doc = r.json.document
  assert.equal(doc.status, 'submitted')
  assert.equal(doc.steps.length, 1, JSON.stringify(doc.steps))
  assert.equal(doc.steps[0].rule, 'dept_manager')
  assert.equal(doc.steps[0].approver.id, m1.user.id, 'the head of 销售一部')
  assert.equal(doc.steps[0].status, 'pending')
  assert.equal(await sqlInt(`select count(*) from deals where document_id = ${doc.id}`), 0, 'no deal row yet')
  assert.deepEqual(await dbMoney(), before1, 'totals unchanged while it waits')
  const fig1 = (await summary()).json.summary
  assert.equal(fig1.deals, fig0.deals, 'the day\'s figures unchanged')
  assert.equal(Number(fig1.deal_amount), Number(fig0.deal_amount))
  assert.ok(!fig1.records.some((x) => x.document_id === doc.id), 'not among the day\'s records yet')
  const todos = await api('GET', '/api/v1/todos', { cookie: m1.cookie })
  assert.ok(todos.json.items.some((x) => x.id === doc.id), 'in manager1\'s to-dos')

  // Exactly 100000 is not above: applied at once.
  const edge = await deal('100000.00')
  assert.equal(edge.status, 201, edge.text)
  assert.equal(edge.json.applied, true, '100000 is not above 100000')
  const mid = await dbMoney()
  assert.equal(mid.deal - before1.deal, 10000000n)

  // The salesperson cannot approve their own deal.
  assert.equal((await decide(s, doc.id, 'approve')).status, 403)
  const ok = await decide(m1, doc.id, 'approve', '同意')
  assert.equal(ok.status, 200, ok.text)
  assert.equal(ok.json.applied, true)
  assert.equal(ok.json.document.status, 'approved')
  assert.equal(await sqlInt(`select count(*) from deals where document_id = ${doc.id}`), 1)
  const after1 = await dbMoney()
  assert.equal(after1.deal - mid.deal, 10000001n, 'the approved deal is in the total, to the cent')
  assert.equal(after1.paid, mid.paid)
  const fig2 = (await summary()).json.summary
  assert.equal(fig2.deals, fig0.deals + 2)
  assert.ok(fig2.records.some((x) => x.document_id === doc.id && x.kind === 'deal'))

  // A rejected big deal changes nothing.
  const big = await deal('250000')
  assert.equal(big.json.applied, false)
  const no = await decide(m1, big.json.document.id, 'reject', '金额有误')
  assert.equal(no.status, 200, no.text)
  assert.deepEqual(await dbMoney(), after1)
  assert.equal(await sqlInt(`select count(*) from deals where document_id = ${big.json.document.id}`), 0)
})

test('a deal with its contract (a PDF) attached; someone else\'s file is refused', async () => {
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n')
  const up = await upload(s, pdf, { kind: 'contract', name: '合同.pdf', headers: { 'content-type': 'application/pdf' } })
  assert.equal(up.status, 201, up.text)
  assert.equal(up.json.content_type, 'application/pdf')
  const r = await deal('88.80', { contract: up.json.token })
  assert.equal(r.status, 201, r.text)
  const act = await api('GET', `/api/v1/customers/${c.id}/activity`, { cookie: s.cookie })
  const d = act.json.deals.find((x) => x.document_id === r.json.document.id)
  assert.equal(d.contract, up.json.token)
  const back = await getBytes(s, `/api/v1/files/${up.json.token}`)
  assert.equal(back.status, 200)
  assert.match(back.headers.get('content-type'), /^application\/pdf/)
  assert.ok(back.buf.equals(pdf), 'the contract comes back as uploaded')

  const other = await fieldPerson('fm2')
  const theirs = await upload(other, pdf, { kind: 'contract', name: 'x.pdf' })
  assert.equal(theirs.status, 201)
  const no = await deal('1.00', { contract: theirs.json.token })
  assert.equal(no.status, 422, no.text)
  assert.equal(errorOf(no).field, 'contract')
  const none = await deal('1.00', { contract: 'nosuchfile0123456789' })
  assert.equal(none.status, 422, none.text)
})

test('Idempotency-Key: a deal or payment sent again is recorded once; the same key with another body is 422', async () => {
  const before1 = await dbMoney()
  for (const [kind, send] of [['deal', deal], ['payment', pay]]) {
    const key = idemKey(`money-${kind}`)
    const burst = await Promise.all([1, 2, 3].map(() => send('10.01', {}, { key })))
    const again = await send('10.01', {}, { key })
    const all = [...burst, again]
    for (const r of all) assert.equal(r.status, 201, r.text)
    assert.equal(new Set(all.map((r) => r.json.document.id)).size, 1, `${kind}: one document`)
    assert.equal(all.filter((r) => r.headers.get('idempotent-replayed') === 'true').length, 3)
    const other = await send('10.02', {}, { key })
    assert.equal(other.status, 422, other.text)
    assert.equal(errorOf(other).code, 'idempotency_key_reused')
    assert.equal(await sqlInt(`select count(*) from ${kind === 'deal' ? 'deals' : 'payments'} where document_id = ${again.json.document.id}`), 1)
  }
  const after1 = await dbMoney()
  assert.equal(after1.deal - before1.deal, 1001n, 'one deal of 10.01')
  assert.equal(after1.paid - before1.paid, 1001n, 'one payment of 10.01')
})

test('the day\'s figures count the deals and payments and their amounts exactly', async () => {
  const r = await summary()
  const f = r.json.summary
  assert.equal(f.day, day)
  const [dn, da] = (await sql(`select count(*), coalesce(sum(amount), 0)::text from deals where staff_id = ${s.user.id} and deal_date = '${day}'`))[0]
  const [pn, pa] = (await sql(`select count(*), coalesce(sum(amount), 0)::text from payments where staff_id = ${s.user.id} and pay_date = '${day}'`))[0]
  // What this file did: 4 + 1 + 2 (approved and at 100000) + 1 (contract) + 1 deals.
  assert.equal(Number(dn), 9)
  assert.equal(Number(pn), 6)
  assert.equal(toCents(da), 133485n + 50n + 10000001n + 10000000n + 8880n + 1001n)
  assert.equal(toCents(pa), 110014n + 50n + 1001n)
  assert.equal(f.deals, 9)
  assert.equal(f.payments, 6)
  assert.equal(Number(f.deal_amount), num(toCents(da)))
  assert.equal(Number(f.payment_amount), num(toCents(pa)))
  const [ad, aa, ap, apa] = (await sql(`select deals, deal_amount::text, payments, payment_amount::text from activity_daily where staff_id = ${s.user.id} and day = '${day}'`))[0]
  assert.deepEqual([Number(ad), toCents(aa), Number(ap), toCents(apa)], [9, toCents(da), 6, toCents(pa)], 'activity_daily holds the same, exactly')
  const docIds = (await sql(`select document_id from deals where staff_id = ${s.user.id} union all select document_id from payments where staff_id = ${s.user.id}`)).map((x) => Number(x[0]))
  for (const id of docIds) assert.ok(f.records.some((x) => x.document_id === id), `record ${id} linked`)
  assert.ok(f.records.every((x) => x.customer_id === c.id || x.kind === 'customer_new'))
  // Another person's day is not this person's.
  const other = (await summary(m1)).json.summary
  assert.ok(!other.records.some((x) => docIds.includes(x.document_id)))
})

test('the API writes every amount as an exact decimal, not a binary float', async () => {
  const db = await dbMoney()
  const d = await detail(s, c.id)
  for (const [key, want] of [['deal_total', db.deal], ['paid_total', db.paid], ['remaining', db.remaining]]) {
    const lits = literals(d.text, key)
    assert.equal(lits.length, 1, `${key} once in ${d.text.slice(0, 100)}`)
    assert.equal(cents(lits[0]), want, `customer ${key} is written ${lits[0]}; expected exactly ${Number(want) / 100}`)
  }
  const act = await api('GET', `/api/v1/customers/${c.id}/activity`, { cookie: s.cookie })
  const amounts = literals(act.text, 'amount')
  assert.ok(amounts.length >= 10)
  const inexact = amounts.filter((x) => cents(x) === null)
  assert.deepEqual(inexact, [], 'activity amounts written exactly')
  const f = await summary()
  for (const key of ['deal_amount', 'payment_amount']) {
    const [lit] = literals(f.text, key)
    assert.notEqual(cents(lit), null, `daily-summary ${key} is written ${lit}`)
  }
})

test('an impossible date (2026-02-30) is refused with 422, not a server error', async () => {
  const before1 = await dbMoney()
  for (const [name, r] of [
    ['deal_date 2026-02-30', await deal('1.00', { deal_date: '2026-02-30' })],
    ['pay_date 2026-02-29', await pay('1.00', { pay_date: '2026-02-29' })],
    ['deal_date 2026-04-31', await deal('1.00', { deal_date: '2026-04-31' })]
  ]) {
    assert.equal(r.status, 422, `${name}: ${r.status} ${r.text}`)
  }
  assert.deepEqual(await dbMoney(), before1)
})
