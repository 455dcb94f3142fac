// The 26 built-in reports (RPT-Q1..Q10, RPT-S1..S16): each one's numbers
// against a direct SQL query, on the demo data plus fresh documents made
// here by two new salespeople of manager1's department; "my" reports hold
// only the reader's records; a manager sees their team; drill-through from
// a pie, bars and a month pivot lands on lists whose total equals the
// clicked figure; bad filters 400, unknown reports 404.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'

import { api, errorOf } from './lib.mjs'
import { closeAll, newCustomer, open, poolIds, sql, sqlInt, sqlOne, submit, tag } from './archive-lib.mjs'
import { fieldPerson, teamDay, visitData } from './field-lib.mjs'
import { drill, plain, report, reportRes, sameAsSql } from './report-lib.mjs'

let A, B, M1, D, today
const ids = {}
const MONTH = "date_trunc('month', current_date)"
const IN_MONTH = (col) => `${col} >= ${MONTH} and ${col} < ${MONTH} + interval '1 month'`
const IN_YEAR = (col) => `${col} >= date_trunc('year', current_date) and ${col} < date_trunc('year', current_date) + interval '1 year'`
const ZH = (list, col) => `(select name_zh from list_items where list = '${list}' and code = ${col})`
const TYPE_ZH = (col) => `(select name_zh from customer_types where code = ${col})`
const STAFF = (col) => `(select name from staff where id = ${col})`

async function ok(r, what) {
  assert.ok(r.status === 201 || r.status === 200, `${what}: ${r.status} ${r.text.slice(0, 300)}`)
  return r.json
}

before(async () => {
  today = teamDay()
  A = await fieldPerson('rpa')
  B = await fieldPerson('rpb')
  M1 = await open('manager1')
  D = await open('director')
  ids.A = A.user.id
  ids.B = B.user.id
  const t = tag()
  ids.c1 = (await newCustomer(A, `报表甲${t}科技有限公司`, { region: 'ec', type: 'enterprise_small', source: 'referral', stage: 'needs', status: 'interested' })).id
  ids.c2 = (await newCustomer(A, `报表乙${t}贸易有限公司`, { region: 'nc', type: 'gov_agency', source: 'website', stage: 'proposal', status: 'potential' })).id
  ids.c3 = (await newCustomer(A, `报表丙${t}物流有限公司`, { region: 'ec', type: 'enterprise_small', source: 'referral', stage: 'initial', status: 'potential' })).id
  ids.cb = (await newCustomer(B, `报表丁${t}食品有限公司`, { region: 'sc', type: 'partner_agent', source: 'trade_show' })).id
  // A parent type (with subtypes) and no status: drills must stay exact.
  ids.cp = (await newCustomer(B, `报表戊${t}集团有限公司`, { region: 'ec', type: 'enterprise', source: 'other' })).id
  ids.pool = (await poolIds(1))[0]
  await ok(await submit(A, 'customer_claim', { customer_id: ids.pool }), 'claim')
  await ok(await submit(A, 'visit', visitData(ids.c1)), 'visit c1')
  await ok(await submit(A, 'visit', visitData(ids.c1, { met: '李总' })), 'visit c1 again')
  await ok(await submit(A, 'visit', visitData(ids.c2)), 'visit c2')
  await ok(await submit(B, 'visit', visitData(ids.cb)), 'visit cb')
  await ok(await submit(A, 'deal', { customer_id: ids.c1, deal_date: today, amount: '100.50' }), 'deal c1')
  await ok(await submit(A, 'deal', { customer_id: ids.c2, deal_date: today, amount: '200.25' }), 'deal c2')
  await ok(await submit(B, 'deal', { customer_id: ids.cb, deal_date: today, amount: '7.00' }), 'deal cb')
  await ok(await submit(A, 'payment', { customer_id: ids.c1, pay_date: today, amount: '50.00' }), 'payment c1')
  await ok(await submit(A, 'daily_report', { day: today, summary: `今日总结${t}`, plan: '明日计划' }), 'daily')
  await ok(await submit(A, 'transfer', { customer_ids: [ids.c3], to: ids.B, reason: 'territory' }), 'transfer c3')
  await ok(await submit(M1, 'customer_change', { customer_id: ids.c2, contact: '新联系人', reason: `报表测试变更${t}` }), 'change c2')
})

after(closeAll)

describe('query reports (RPT-Q1..Q10) equal direct SQL', () => {
  test('q01 new customers: name, type, source, region, created date', async () => {
    const rep = await report(D, 'q01_new_customers', { staff: ids.A })
    assert.deepEqual(rep.columns.map((c) => c.key), ['name', 'type', 'source', 'region', 'created'])
    await sameAsSql(rep, `select c.name, ${TYPE_ZH('c.type_code')}, ${ZH('source', 'c.source')}, ${ZH('region', 'c.region')}, to_char(d.applied_at, 'YYYY-MM-DD') from documents d join customers c on c.id = d.customer_id where d.kind = 'customer_new' and d.status = 'approved' and d.applicant_id = ${ids.A} and ${IN_MONTH('d.applied_at')}`, ['name', 'type', 'source', 'region', 'created'])
    assert.equal(rep.total, 3)
    assert.ok(rep.rows.every((r) => r._link.type === 'customer' && Number.isInteger(r._link.id)))
  })

  test('q02 claims: name, type, status, claim date, owner, region', async () => {
    const rep = await report(D, 'q02_claims', { staff: ids.A })
    await sameAsSql(rep, `select c.name, ${TYPE_ZH('c.type_code')}, ${ZH('status', 'c.status')}, to_char(p.at, 'YYYY-MM-DD'), ${STAFF('c.owner_id')}, ${ZH('region', 'c.region')} from pool_log p join customers c on c.id = p.customer_id where p.event = 'claimed' and p.staff_id = ${ids.A} and ${IN_MONTH('p.at')}`, ['name', 'type', 'status', 'claim_date', 'owner', 'region'])
    assert.equal(rep.total, 1)
    assert.equal(rep.rows[0]._link.id, ids.pool)
  })

  test('q03 visits: name, visit time, visitor, place; links to the documents', async () => {
    const rep = await report(D, 'q03_visits', { staff: ids.A })
    await sameAsSql(rep, `select c.name, ${STAFF('v.staff_id')}, v.place from visits v join customers c on c.id = v.customer_id where v.staff_id = ${ids.A} and ${IN_MONTH('v.captured_at')}`, ['name', 'visitor', 'place'])
    assert.equal(rep.total, 3)
    const docs = (await sql(`select document_id from visits where staff_id = ${ids.A} order by 1`)).map((r) => Number(r[0]))
    assert.deepEqual(rep.rows.map((r) => r._link.id).sort((a, b) => a - b), docs)
    assert.ok(rep.rows.every((r) => r._link.type === 'document' && /^\d{4}-\d\d-\d\dT/.test(r.visit_time)))
  })

  test('q04 customer locations: name, address, building/door, contact, phone', async () => {
    const rep = await report(D, 'q04_locations', { staff: ids.A })
    await sameAsSql(rep, `select name, address, extra->>'door', contact, phone from customers where owner_id = ${ids.A}`, ['name', 'address', 'door', 'contact', 'phone'])
  })

  test('q05 payments: name, date, amount, region; the amount sum', async () => {
    const rep = await report(D, 'q05_payments', { staff: ids.A })
    await sameAsSql(rep, `select c.name, p.pay_date::text, p.amount::text, ${ZH('region', 'c.region')} from payments p join customers c on c.id = p.customer_id where p.staff_id = ${ids.A} and ${IN_MONTH('p.pay_date')}`, ['name', 'pay_date', 'amount', 'region'])
    assert.equal(rep.sums.amount, '50.00')
  })

  test('q06 deals: name, date, amount, owner, region; the amount sum', async () => {
    const rep = await report(D, 'q06_deals', { staff: ids.A })
    await sameAsSql(rep, `select c.name, d.deal_date::text, d.amount::text, ${STAFF('d.staff_id')}, ${ZH('region', 'c.region')} from deals d join customers c on c.id = d.customer_id where d.staff_id = ${ids.A} and ${IN_MONTH('d.deal_date')}`, ['name', 'deal_date', 'amount', 'owner', 'region'])
    assert.equal(rep.sums.amount, '300.75')
  })

  test('q07 transfers: name, type, status, date, from, to', async () => {
    const rep = await report(D, 'q07_transfers', { staff: ids.A })
    await sameAsSql(rep, `select c.name, ${TYPE_ZH('c.type_code')}, ${ZH('status', 'c.status')}, to_char(l.at, 'YYYY-MM-DD'), l.before, l.after from change_log l join documents d on d.id = l.document_id join customers c on c.id = l.customer_id where l.field = 'owner' and d.kind = 'transfer' and d.applicant_id = ${ids.A} and ${IN_MONTH('l.at')}`, ['name', 'type', 'status', 'transfer_date', 'from_owner', 'to_owner'])
    assert.equal(rep.total, 1)
    assert.equal(rep.rows[0].to_owner, B.user.name)
  })

  test('q08 daily reports: date, salesperson, summary, plan', async () => {
    const rep = await report(D, 'q08_daily_reports', { staff: ids.A })
    await sameAsSql(rep, `select day::text, ${STAFF('staff_id')}, summary, plan from daily_reports where staff_id = ${ids.A} and ${IN_MONTH('day')}`, ['day', 'salesperson', 'summary', 'plan'])
    assert.equal(rep.total, 1)
  })

  test('q09 customer info: name, type, status, region, owner, visit count', async () => {
    const rep = await report(D, 'q09_customers', { staff: ids.A })
    await sameAsSql(rep, `select name, ${TYPE_ZH('type_code')}, ${ZH('status', 'status')}, ${ZH('region', 'region')}, ${STAFF('owner_id')}, visit_count::text from customers where owner_id = ${ids.A}`, ['name', 'type', 'status', 'region', 'owner', 'visit_count'])
    // c1, c2 and the claimed one; c3 went to B.
    assert.equal(rep.total, 3)
    const all = await report(D, 'q09_customers', { size: 1 })
    assert.equal(all.total, await sqlInt('select count(*) from customers'), 'a director sees every customer')
  })

  test('q10 info changes: name, date, applicant, description', async () => {
    const rep = await report(D, 'q10_changes', { staff: M1.user.id })
    await sameAsSql(rep, `select c.name, to_char(d.applied_at, 'YYYY-MM-DD'), ${STAFF('d.applicant_id')}, d.data->>'reason' from documents d join customers c on c.id = d.customer_id where d.kind = 'customer_change' and d.status = 'approved' and d.applicant_id = ${M1.user.id} and ${IN_MONTH('d.applied_at')}`, ['name', 'change_date', 'applicant', 'description'])
    assert.ok(rep.rows.some((r) => r._link.type === 'document' && r.description.startsWith('报表测试变更')))
  })
})

describe('statistics reports (RPT-S1..S16) equal direct SQL', () => {
  const visitsPer = (group, where) => `select ${group}, count(*)::text, max(v.captured_at)::date::text from visits v join customers c on c.id = v.customer_id where ${where} and ${IN_YEAR('v.captured_at')} group by 1`

  test('s01 visits this year per customer: count and last visit date', async () => {
    const rep = await report(D, 's01_visits_per_customer', { staff: ids.A })
    await sameAsSql(rep, visitsPer('c.name', `v.staff_id = ${ids.A}`), ['customer', 'visits', 'last_visit'])
    assert.deepEqual(rep.rows.map((r) => r.visits).sort(), [1, 2])
  })

  test('s02 my visits this year: only my own visits', async () => {
    const rep = await report(A, 's02_my_visits')
    await sameAsSql(rep, visitsPer('c.name', `v.staff_id = ${ids.A}`), ['customer', 'visits', 'last_visit'])
    const repB = await report(B, 's02_my_visits')
    await sameAsSql(repB, visitsPer('c.name', `v.staff_id = ${ids.B}`), ['customer', 'visits', 'last_visit'])
    assert.ok(!repB.rows.some((r) => rep.rows.some((x) => x.customer === r.customer)), "B's report holds none of A's customers")
  })

  test('s03 visits by region this month: count and last visit date', async () => {
    const rep = await report(D, 's03_visits_by_region', { staff: ids.A })
    await sameAsSql(rep, visitsPer(ZH('region', 'c.region'), `v.staff_id = ${ids.A} and ${IN_MONTH('v.captured_at')}`), ['region', 'visits', 'last_visit'])
  })

  const monthCols = Array.from({ length: 12 }, (_, i) => `m${String(i + 1).padStart(2, '0')}`)
  const pivot = (expr, dateCol) => monthCols.map((_, i) => `(${expr.replace('FILTER', `filter (where extract(month from ${dateCol}) = ${i + 1})`)})::text`).join(', ')

  test('s04 new customers this year by region, January to December', async () => {
    const rep = await report(D, 's04_new_by_region_month', { staff: ids.A })
    assert.deepEqual(rep.columns.map((c) => c.key), ['region', 'total', ...monthCols])
    await sameAsSql(rep, `select ${ZH('region', 'c.region')}, count(*)::text, ${pivot('count(*) FILTER', 'd.applied_at')} from documents d join customers c on c.id = d.customer_id where d.kind = 'customer_new' and d.status = 'approved' and d.applicant_id = ${ids.A} and ${IN_YEAR('d.applied_at')} group by c.region`, ['region', 'total', ...monthCols])
    assert.equal(rep.chart.type, 'line')
    assert.equal(rep.chart.orient, 'columns')
  })

  test('s05 my new customers this year by type, January to December', async () => {
    const rep = await report(A, 's05_my_new_by_type_month')
    await sameAsSql(rep, `select ${TYPE_ZH('c.type_code')}, count(*)::text, ${pivot('count(*) FILTER', 'd.applied_at')} from documents d join customers c on c.id = d.customer_id where d.kind = 'customer_new' and d.status = 'approved' and d.applicant_id = ${ids.A} and ${IN_YEAR('d.applied_at')} group by c.type_code`, ['type', 'total', ...monthCols])
  })

  // This month's business of one person, counted from the records themselves.
  const business = (who) => `select ${STAFF(who)},
    (select count(*) from documents where kind = 'customer_new' and status = 'approved' and applicant_id = ${who} and ${IN_MONTH('applied_at')})::text,
    (select count(*) from visits where staff_id = ${who} and ${IN_MONTH('captured_at')})::text,
    (select count(*) from deals where staff_id = ${who} and ${IN_MONTH('deal_date')})::text,
    (select coalesce(sum(amount), 0) from deals where staff_id = ${who} and ${IN_MONTH('deal_date')})::numeric(16,2)::text,
    (select count(*) from payments where staff_id = ${who} and ${IN_MONTH('pay_date')})::text,
    (select coalesce(sum(amount), 0) from payments where staff_id = ${who} and ${IN_MONTH('pay_date')})::numeric(16,2)::text`
  const BIZ = ['staff', 'new_customers', 'visits', 'deals', 'deal_amount', 'payments', 'payment_amount']

  test("s06 this month's business per salesperson (new, visits, deals, payments)", async () => {
    const rep = await report(D, 's06_business_per_staff', { staff: ids.A })
    await sameAsSql(rep, business(ids.A), BIZ)
    assert.deepEqual(plain(rep.rows, BIZ)[0], { staff: A.user.name, new_customers: '3', visits: '3', deals: '2', deal_amount: '300.75', payments: '1', payment_amount: '50.00' })
    assert.equal(rep.chart.type, 'bar')
  })

  test('s07 my business this month: one row, mine', async () => {
    const rep = await report(B, 's07_my_business')
    await sameAsSql(rep, business(ids.B), BIZ)
  })

  test('s08 deal amount per salesperson this year: a line per person', async () => {
    const rep = await report(D, 's08_deal_amount_staff_year', { staff: ids.A })
    await sameAsSql(rep, `select ${STAFF('d.staff_id')}, sum(d.amount)::numeric(16,2)::text, ${pivot('coalesce(sum(d.amount) FILTER, 0)::numeric(16,2)', 'd.deal_date')} from deals d where d.staff_id = ${ids.A} and ${IN_YEAR('d.deal_date')} group by d.staff_id`, ['staff', 'total', ...monthCols])
    assert.deepEqual([rep.chart.type, rep.chart.orient, rep.chart.category], ['line', 'columns', 'staff'])
  })

  test('s09 deal amount per salesperson this month: a list', async () => {
    const rep = await report(D, 's09_deal_amount_staff_month', { department: await sqlOne(`select department_id from staff where id = ${ids.A}`) })
    // Everyone of the department (and below) with figures this month, deals or not.
    await sameAsSql(rep, `select ${STAFF('p.staff_id')}, count(d.id)::text, coalesce(sum(d.amount), 0)::numeric(16,2)::text from (select distinct staff_id from activity_daily where ${IN_MONTH('day')} and staff_id in (select id from staff where department_id in (select crm_dept_subtree((select department_id from staff where id = ${ids.A}))))) p left join deals d on d.staff_id = p.staff_id and ${IN_MONTH('d.deal_date')} group by p.staff_id`, ['staff', 'deals', 'deal_amount'])
    assert.ok(rep.rows.some((r) => r.staff === A.user.name && r.deal_amount === '300.75'))
    assert.equal(rep.chart.type, 'table')
  })

  test('s10 deal amount per salesperson this year by region: bars', async () => {
    const rep = await report(D, 's10_deal_amount_staff_region', { staff: ids.A })
    await sameAsSql(rep, `select ${STAFF('d.staff_id')}, ${ZH('region', 'c.region')}, count(*)::text, sum(d.amount)::numeric(16,2)::text from deals d join customers c on c.id = d.customer_id where d.staff_id = ${ids.A} and ${IN_YEAR('d.deal_date')} group by d.staff_id, c.region`, ['staff', 'region', 'deals', 'amount'])
    assert.equal(rep.chart.type, 'bar')
  })

  test('s11 deal amount by region this year: a pie', async () => {
    const all = await report(D, 's11_deal_amount_region')
    await sameAsSql(all, `select ${ZH('region', 'c.region')}, count(*)::text, sum(d.amount)::numeric(16,2)::text from deals d join customers c on c.id = d.customer_id where ${IN_YEAR('d.deal_date')} group by c.region`, ['region', 'deals', 'amount'])
    assert.equal(all.chart.type, 'pie')
  })

  const byList = (col, label, where) => `select ${label}, count(*)::text, (round(100.0 * count(*) / sum(count(*)) over (), 1))::text || '%' from customers where ${where} group by ${col}`

  test('s12 my customers by status: only my own customers', async () => {
    const rep = await report(A, 's12_my_customers_status')
    await sameAsSql(rep, byList('status', ZH('status', 'status'), `owner_id = ${ids.A}`), ['status', 'customers', 'share'])
    assert.equal(rep.rows.reduce((n, r) => n + r.customers, 0), 3)
  })

  test('s13 customers per sales stage', async () => {
    const rep = await report(D, 's13_customers_stage')
    await sameAsSql(rep, `select ${ZH('stage', 'stage')}, count(*)::text from customers group by stage`, ['stage', 'customers'])
  })

  test('s14 customers by type: pie with shares', async () => {
    const rep = await report(D, 's14_customers_type')
    await sameAsSql(rep, byList('type_code', TYPE_ZH('type_code'), 'true'), ['type', 'customers', 'share'])
    assert.equal(rep.chart.type, 'pie')
  })

  test('s15 customers by status', async () => {
    const rep = await report(D, 's15_customers_status', { staff: ids.B })
    await sameAsSql(rep, byList('status', ZH('status', 'status'), `owner_id = ${ids.B}`), ['status', 'customers', 'share'])
  })

  test('s16 customers by source', async () => {
    const rep = await report(D, 's16_customers_source')
    await sameAsSql(rep, byList('source', ZH('source', 'source'), 'true'), ['source', 'customers', 'share'])
  })
})

describe('visibility', () => {
  test("a salesperson's lists hold only their own records", async () => {
    const rep = await report(A, 'q03_visits')
    assert.equal(rep.total, await sqlInt(`select count(*) from visits where staff_id = ${ids.A} and ${IN_MONTH('captured_at')}`))
    const cust = await report(A, 'q09_customers')
    assert.equal(cust.total, await sqlInt(`select count(*) from customers c where c.owner_id = ${ids.A} or exists (select 1 from customer_shares s where s.customer_id = c.id and s.staff_id = ${ids.A})`))
    // Another person's records are not reachable by filtering for them.
    const other = await report(A, 'q06_deals', { staff: ids.B })
    assert.equal(other.total, 0)
  })

  test('team statistics are not offered to salespeople', async () => {
    const list = (await api('GET', '/api/v1/reports', { cookie: A.cookie })).json.reports.map((r) => r.name)
    assert.ok(list.includes('s07_my_business') && list.includes('q03_visits'))
    assert.ok(!list.includes('s06_business_per_staff'))
    assert.equal((await reportRes(A, 's06_business_per_staff')).status, 404)
  })

  test("a manager sees their department subtree's records, not another team's", async () => {
    const rep = await report(M1, 's13_customers_stage')
    await sameAsSql(rep, `select ${ZH('stage', 'c.stage')}, count(*)::text from customers c where c.owner_id = 3 or exists (select 1 from customer_shares s where s.customer_id = c.id and s.staff_id = 3) or c.owner_id in (select id from staff where department_id in (select crm_managed_depts(3))) group by c.stage`.replaceAll('= 3', `= ${M1.user.id}`).replaceAll('(3)', `(${M1.user.id})`), ['stage', 'customers'])
    const biz = await report(M1, 's06_business_per_staff')
    const names = biz.rows.map((r) => r.staff)
    assert.ok(names.includes(A.user.name) && names.includes(B.user.name), 'the team is there')
    const m2 = await open('manager2')
    const other = await report(m2, 's06_business_per_staff')
    assert.ok(!other.rows.some((r) => r.staff === A.user.name), "manager2 does not see manager1's people")
    assert.equal((await report(m2, 'q06_deals', { staff: ids.A })).total, 0)
  })
})

describe('drill-through', () => {
  test('a pie slice (s11) opens the deals whose amounts sum to it', async () => {
    const rep = await report(D, 's11_deal_amount_region', { staff: ids.A })
    assert.equal(rep.drill.report, 'q06_deals')
    for (const row of rep.rows) {
      const { target, params, list } = await drill(D, rep, row, 'amount')
      assert.equal(target, 'q06_deals')
      assert.equal(list.sums.amount, row.amount, `slice ${row.region} (${JSON.stringify(params)})`)
      assert.equal(list.total, row.deals)
      // ...and a row of the list opens its document.
      const doc = await api('GET', `/api/v1/documents/${list.rows[0]._link.id}`, { cookie: D.cookie })
      assert.equal(doc.status, 200)
      assert.equal(doc.json.document?.kind ?? doc.json.kind, 'deal')
    }
  })

  test('bars (s06) open the lists behind each figure', async () => {
    const rep = await report(M1, 's06_business_per_staff')
    const row = rep.rows.find((r) => r.staff === A.user.name)
    for (const [col, want] of [['new_customers', 'q01_new_customers'], ['visits', 'q03_visits'], ['deals', 'q06_deals'], ['payments', 'q05_payments']]) {
      const { target, list } = await drill(M1, rep, row, col)
      assert.equal(target, want)
      assert.equal(list.total, row[col], `${col} of ${row.staff}`)
    }
    const { list } = await drill(M1, rep, row, 'deal_amount')
    assert.equal(list.sums.amount, row.deal_amount)
  })

  test('bars per stage (s13) and a month of the pivot (s04) open matching lists', async () => {
    const rep = await report(M1, 's13_customers_stage')
    for (const row of rep.rows.slice(0, 3)) {
      const { list } = await drill(M1, rep, row, 'customers')
      assert.equal(list.total, row.customers, `stage ${row.stage}`)
    }
    const piv = await report(D, 's04_new_by_region_month', { staff: ids.A })
    const month = `m${today.slice(5, 7)}`
    for (const row of piv.rows) {
      const { params, list } = await drill(D, piv, row, month)
      assert.equal(params.from, `${today.slice(0, 7)}-01`)
      assert.equal(list.total, row[month], `${row.region} ${month}`)
    }
  })

  test('rows of a parent type and of "no status" drill to exactly their customers', async () => {
    const types = await report(D, 's14_customers_type', { staff: ids.B })
    const parent = types.rows.find((r) => r._drill.type === '=enterprise')
    assert.ok(parent, JSON.stringify(types.rows.map((r) => r._drill)))
    for (const row of types.rows) {
      const { list } = await drill(D, types, row, 'customers')
      assert.equal(list.total, row.customers, `type ${row.type}`)
    }
    // The type filter without "=" still takes the subtypes.
    const subtree = await report(D, 'q09_customers', { staff: ids.B, type: 'enterprise' })
    assert.equal(subtree.total, await sqlInt(`select count(*) from customers where owner_id = ${ids.B} and type_code in (select crm_type_subtree('enterprise'))`))
    const statuses = await report(D, 's15_customers_status', { staff: ids.B })
    const none = statuses.rows.find((r) => r._drill.status === '-')
    assert.ok(none && none.status === null, 'customers without a status form a row')
    for (const row of statuses.rows) {
      const { list } = await drill(D, statuses, row, 'customers')
      assert.equal(list.total, row.customers, `status ${row.status}`)
    }
  })

  test('my visits (s02) drill to my visits of that customer', async () => {
    const rep = await report(A, 's02_my_visits')
    const row = rep.rows.find((r) => r.visits === 2)
    const { params, list } = await drill(A, rep, row, 'visits')
    assert.equal(params.customer, String(ids.c1))
    assert.equal(params.staff, String(ids.A))
    assert.equal(list.total, 2)
  })
})

describe('bad requests', () => {
  test('a filter the report does not declare is refused, naming it', async () => {
    const r = await reportRes(D, 'q09_customers', { from: today })
    assert.equal(r.status, 400)
    assert.equal(errorOf(r).field, 'from')
    const r2 = await reportRes(D, 's06_business_per_staff', { bogus: '1' })
    assert.equal(r2.status, 400)
    assert.equal(errorOf(r2).field, 'bogus')
  })

  test('malformed values and sort keys are refused', async () => {
    for (const [params, field] of [[{ from: '2026-02-30' }, 'from'], [{ to: 'yesterday' }, 'to'], [{ staff: 'x' }, 'staff'],
      [{ sort: 'nosuch' }, 'sort'], [{ size: '501' }, 'size'], [{ page: '0' }, 'page'], [{ from: '2026-05-01', to: '2026-04-01' }, 'to']]) {
      const r = await reportRes(D, 'q06_deals', params)
      assert.equal(r.status, 400, JSON.stringify(params))
      assert.equal(errorOf(r).field, field)
    }
  })

  test('an unknown report is 404; no session is 401', async () => {
    assert.equal((await reportRes(D, 'q99_nothing')).status, 404)
    assert.equal((await reportRes(D, 'Q01;drop')).status, 404)
    assert.equal((await api('GET', '/api/v1/reports/q01_new_customers')).status, 401)
  })

  test('paging, sorting and the English labels', async () => {
    const all = await report(D, 'q09_customers', { sort: '-visit_count', size: 10 })
    const counts = all.rows.map((r) => r.visit_count)
    assert.deepEqual(counts, [...counts].sort((a, b) => b - a))
    const p2 = await report(D, 'q09_customers', { sort: 'name', size: 5, page: 2 })
    const p1 = await report(D, 'q09_customers', { sort: 'name', size: 10, page: 1 })
    assert.deepEqual(p2.rows.map((r) => r.name), p1.rows.slice(5).map((r) => r.name))
    const far = await report(D, 'q09_customers', { page: 100000 })
    assert.deepEqual([far.rows.length, far.total], [0, await sqlInt('select count(*) from customers')])
  })
})
