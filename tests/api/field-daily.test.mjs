// Daily reports (WF-DAILY): the day's summary lists the person's new
// customers, claims, visits, deals and payments with their figures and links
// to the documents; a report is filed with summary and plan and the summary
// then links it; one report per person per day: a second one is 409 with a
// clear message, also when two are sent at the same moment; a retry with the
// same Idempotency-Key gets the first answer, not 409; other days are fine.
import { test, after, before } from 'node:test'
import assert from 'node:assert/strict'

import { api, errorOf } from './lib.mjs'
import { open, closeAll, submit, getDoc, sql, sqlInt, poolIds, idemKey, tally, HAN } from './archive-lib.mjs'
import { fieldPerson, placedCustomer, teamDay, addDays, visit, visitData, toCents } from './field-lib.mjs'

after(closeAll)

let s, day, c, docs

before(async () => {
  s = await fieldPerson('fd')
  day = teamDay()
  docs = {}
})

async function summary(who, d) {
  const r = await api('GET', `/api/v1/daily-summary?day=${d}`, { cookie: who.cookie })
  assert.equal(r.status, 200, r.text)
  return r.json.summary
}
const report = (who, d, o = {}, opts) => submit(who, 'daily_report', { day: d, summary: `今日拜访客户，${d} 总结。`, plan: '明天继续跟进报价。', ...o }, opts)
const reportsOf = (who, d) => sqlInt(`select count(*) from daily_reports where staff_id = ${who.user.id} and day = '${d}'`)

test('the day\'s summary lists new customers, claims, visits, deals and payments with figures and links', async () => {
  const empty = await summary(s, day)
  assert.deepEqual(
    [empty.new_customers, empty.claims, empty.visits, empty.deals, Number(empty.deal_amount), empty.payments, Number(empty.payment_amount), empty.records, empty.report],
    [0, 0, 0, 0, 0, 0, 0, [], null], 'a new person\'s day starts empty')

  c = await placedCustomer(s, null)
  docs.customer_new = c.doc.id
  const [poolId] = await poolIds(1)
  const claim = await submit(s, 'customer_claim', { customer_id: poolId })
  assert.equal(claim.status, 201, claim.text)
  docs.customer_claim = claim.json.document.id
  const v = await visit(s, visitData(c.id))
  assert.equal(v.status, 201, v.text)
  docs.visit = v.json.document.id
  const d = await submit(s, 'deal', { customer_id: c.id, deal_date: day, amount: '500.50' })
  assert.equal(d.status, 201, d.text)
  docs.deal = d.json.document.id
  const p = await submit(s, 'payment', { customer_id: c.id, pay_date: day, amount: '200.25' })
  assert.equal(p.status, 201, p.text)
  docs.payment = p.json.document.id

  const f = await summary(s, day)
  assert.equal(f.day, day)
  assert.equal(f.new_customers, 1)
  assert.equal(f.claims, 1)
  assert.equal(f.visits, 1)
  assert.equal(f.deals, 1)
  assert.equal(Number(f.deal_amount), 500.5)
  assert.equal(f.payments, 1)
  assert.equal(Number(f.payment_amount), 200.25)
  assert.equal(f.report, null, 'no report yet')
  assert.equal(f.records.length, 5, JSON.stringify(f.records))
  for (const [kind, id] of Object.entries(docs)) {
    const rec = f.records.find((x) => x.document_id === id)
    assert.ok(rec, `the ${kind} is linked`)
    assert.equal(rec.kind, kind)
    assert.ok(rec.number, 'with its number')
    assert.equal(rec.customer_id, kind === 'customer_claim' ? poolId : c.id)
    assert.ok(rec.customer_name)
    // The link leads to the document.
    const doc = await getDoc(s, id)
    assert.equal(doc.status, 200, doc.text)
    assert.equal(doc.json.document.number, rec.number)
  }
  // Other days and other people are not in it.
  const yesterday = await summary(s, addDays(day, -1))
  assert.equal(yesterday.records.length, 0)
  assert.equal(yesterday.visits, 0)
  const m1 = await open('manager1')
  const theirs = await summary(m1, day)
  assert.ok(!theirs.records.some((x) => Object.values(docs).includes(x.document_id)))
})

test('a report is filed with summary and plan; the day\'s summary then links it; a retry with the same key is the same answer', async () => {
  const key = idemKey('daily')
  const r = await report(s, day, { summary: '拜访 1 家，成交 500.50 元。', plan: '明天拜访两家新客户。' }, { key })
  assert.equal(r.status, 201, r.text)
  assert.equal(r.json.applied, true, 'a daily report needs no approval')
  assert.equal(r.json.document.kind, 'daily_report')
  assert.equal(r.json.document.data.summary, '拜访 1 家，成交 500.50 元。')
  assert.equal(r.json.document.data.plan, '明天拜访两家新客户。')
  const id = r.json.document.id

  const f = await summary(s, day)
  assert.equal(f.report, id, 'the summary links the report')
  const [row] = await sql(`select summary, plan, figures::text from daily_reports where document_id = ${id}`)
  assert.equal(row[0], '拜访 1 家，成交 500.50 元。')
  assert.equal(row[1], '明天拜访两家新客户。')
  const figures = JSON.parse(row[2])
  assert.equal(figures.visits, 1)
  assert.equal(figures.deals, 1)
  assert.equal(toCents(String(figures.deal_amount)), 50050n)
  assert.equal(figures.records.length, 5, 'the figures of the day are kept with the report')

  const again = await report(s, day, { summary: '拜访 1 家，成交 500.50 元。', plan: '明天拜访两家新客户。' }, { key })
  assert.equal(again.status, 201, `a retry of the same submit is not a second report: ${again.text}`)
  assert.equal(again.headers.get('idempotent-replayed'), 'true')
  assert.equal(again.json.document.id, id)
  assert.equal(await reportsOf(s, day), 1)
})

test('a second report for the same day: 409 with a clear message (Chinese, or English for an English user)', async () => {
  assert.equal(await reportsOf(s, day), 1, 'the report of the previous test')
  const r = await report(s, day, { summary: '再写一份' })
  assert.equal(r.status, 409, r.text)
  const e = errorOf(r)
  assert.equal(e.code, 'conflict')
  assert.equal(e.field, 'day')
  assert.match(e.message, HAN)
  assert.match(e.message, /日报/, e.message)
  assert.equal(await reportsOf(s, day), 1)
  assert.equal(await sqlInt(`select count(*) from documents where applicant_id = ${s.user.id} and kind = 'daily_report'`), 1, 'no document for the refused one')

  const en = await fieldPerson('fden')
  const lang = await api('PUT', '/api/v1/me/lang', { cookie: en.cookie, csrf: en.csrf, body: { lang: 'en' } })
  assert.equal(lang.status, 200)
  assert.equal((await report(en, day)).status, 201)
  const r2 = await report(en, day, { plan: 'other' })
  assert.equal(r2.status, 409, r2.text)
  assert.doesNotMatch(errorOf(r2).message, HAN)
  assert.match(errorOf(r2).message, /report/i)

  // Required fields and a real day.
  for (const [k, v] of [['summary', ''], ['plan', undefined], ['day', 'today'], ['day', '2026-13-01'], ['summary', 'x'.repeat(4001)]]) {
    const data = { day: addDays(day, -30), summary: 's', plan: 'p', [k]: v }
    if (v === undefined) delete data[k]
    const bad = await submit(s, 'daily_report', data)
    assert.equal(bad.status, 422, `${k}=${String(v).slice(0, 20)}: ${bad.text}`)
    assert.equal(errorOf(bad).field, k)
  }
})

test('two (and three) concurrent first reports by one person for a new day: exactly one 201, the others 409', async () => {
  for (let i = 1; i <= 6; i++) {
    const d = addDays(day, -i)
    const n = i % 2 ? 2 : 3
    const answers = await Promise.all(Array.from({ length: n }, (_, j) => report(s, d, { summary: `并发 ${j}` })))
    const t = tally(answers)
    assert.deepEqual(t, { 201: 1, '409 conflict': n - 1 }, `${d}: ${JSON.stringify(t)}`)
    assert.equal(await reportsOf(s, d), 1)
    assert.equal(await sqlInt(`select count(*) from documents where applicant_id = ${s.user.id} and kind = 'daily_report' and data->>'day' = '${d}'`), 1)
    const winner = answers.find((r) => r.status === 201)
    assert.equal((await summary(s, d)).report, winner.json.document.id)
  }
  // The same key at the same moment: one report, every answer 201.
  const d = addDays(day, -7)
  const key = idemKey('daily-burst')
  const same = await Promise.all([1, 2, 3].map(() => report(s, d, {}, { key })))
  assert.deepEqual(tally(same), { 201: 3 })
  assert.equal(new Set(same.map((r) => r.json.document.id)).size, 1)
  assert.equal(await reportsOf(s, d), 1)
})

test('a report for another day is fine', async () => {
  const d = addDays(day, -20)
  const r = await report(s, d)
  assert.equal(r.status, 201, r.text)
  assert.equal((await summary(s, d)).report, r.json.document.id)
  assert.equal(await reportsOf(s, d), 1)
  assert.equal(await reportsOf(s, day), 1, 'today\'s report unchanged')
  // Another person may file for the same day.
  const other = await fieldPerson('fd2')
  assert.equal((await report(other, d)).status, 201)
})

test('a payment and a deal entered today but dated yesterday: each day\'s figures and linked records agree', async () => {
  const p = await fieldPerson('fd3')
  const cust = await placedCustomer(p, null)
  const y = addDays(day, -1)
  const pay = await submit(p, 'payment', { customer_id: cust.id, pay_date: y, amount: '300.00' })
  assert.equal(pay.status, 201, pay.text)
  const deal = await submit(p, 'deal', { customer_id: cust.id, deal_date: y, amount: '900.00' })
  assert.equal(deal.status, 201, deal.text)
  const seen = []
  for (const d of [day, y]) {
    const f = await summary(p, d)
    for (const [kind, figure] of [['payment', f.payments], ['deal', f.deals]]) {
      const linked = f.records.filter((x) => x.kind === kind).map((x) => x.document_id)
      seen.push(...linked)
      assert.equal(linked.length, figure, `${d}: the figures count ${figure} ${kind}(s) but the summary links ${linked.length} (${JSON.stringify(f.records.map((x) => x.kind))})`)
    }
  }
  assert.ok(seen.includes(pay.json.document.id) && seen.includes(deal.json.document.id), 'both are linked on some day')
})

test('an impossible day (2026-02-30) is refused with 400/422, not a server error', async () => {
  const r = await report(s, '2026-02-30')
  assert.equal(r.status, 422, `daily_report day 2026-02-30: ${r.status} ${r.text}`)
  const q = await api('GET', '/api/v1/daily-summary?day=2026-02-30', { cookie: s.cookie })
  assert.ok([400, 422].includes(q.status), `daily-summary?day=2026-02-30: ${q.status} ${q.text}`)
  for (const bad of ['', 'today', '2026-1-1', '2026-01-01x', '2026-00-10']) {
    const b = await api('GET', `/api/v1/daily-summary?day=${encodeURIComponent(bad)}`, { cookie: s.cookie })
    assert.equal(b.status, 400, `day=${bad}: ${b.text}`)
  }
  assert.equal((await api('GET', `/api/v1/daily-summary?day=${day}`)).status, 401)
})
