// The month roll-ups of the statistics (sql/0010_report_rollups.sql,
// RPT-S3/S4/S6/S8..S11 over whole months): after documents are applied
// (visits, deals, new customers, a region change) and after an import,
// every roll-up row equals the same figure computed from the records, and
// the reports that read them (whole-month periods) equal direct SQL over
// the records, also for a manager (their team only) and with a region
// filter; a period that is not whole months still answers from the records.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'

import { closeAll, newCustomer, open, sql, submit, tag } from './archive-lib.mjs'
import { fieldPerson, teamDay, visitData } from './field-lib.mjs'
import { csv, submitImport, upload, withBom, HEADER_ZH } from './import-lib.mjs'
import { report, sameAsSql } from './report-lib.mjs'

let A, B, M1, D, admin, today
const ids = {}
const MONTH = "date_trunc('month', current_date)"
const IN_MONTH = (col) => `${col} >= ${MONTH} and ${col} < ${MONTH} + interval '1 month'`
const IN_YEAR = (col) => `${col} >= date_trunc('year', current_date) and ${col} < date_trunc('year', current_date) + interval '1 year'`
const ZH = (list, col) => `(select name_zh from list_items where list = '${list}' and code = ${col})`
const STAFF = (col) => `(select name from staff where id = ${col})`

async function ok(r, what) {
  assert.ok(r.status === 201 || r.status === 200, `${what}: ${r.status} ${r.text.slice(0, 300)}`)
  return r.json
}

// Rows of each roll-up that differ from the records (both ways): 0 when exact.
const DIFF = {
  visits: `select staff_id, region, month, n, last_day from rpt_visits_m where n > 0`,
  visitsRec: `select v.staff_id, c.region, date_trunc('month', v.captured_at)::date, count(*), max(v.captured_at::date) from visits v join customers c on c.id = v.customer_id group by 1, 2, 3`,
  deals: `select staff_id, region, month, n, amount from rpt_deals_m where n > 0`,
  dealsRec: `select d.staff_id, c.region, date_trunc('month', d.deal_date)::date, count(*), sum(d.amount) from deals d join customers c on c.id = d.customer_id group by 1, 2, 3`,
  news: `select staff_id, region, month, n from rpt_new_m where n > 0`,
  newsRec: `select x.applicant_id, c.region, date_trunc('month', x.applied_at)::date, count(*) from documents x join customers c on c.id = x.customer_id where x.kind = 'customer_new' and x.status = 'approved' and x.applied_at is not null group by 1, 2, 3`,
  activity: `select staff_id, month, new_customers, claims, visits, deals, deal_amount, payments, payment_amount from rpt_activity_m`,
  activityRec: `select staff_id, date_trunc('month', day)::date, sum(new_customers), sum(claims), sum(visits), sum(deals), sum(deal_amount), sum(payments), sum(payment_amount) from activity_daily group by 1, 2`
}

async function assertExact(when) {
  for (const k of ['visits', 'deals', 'news', 'activity']) {
    const q = `select count(*) from (((${DIFF[k]}) except (${DIFF[k + 'Rec']})) union all ((${DIFF[k + 'Rec']}) except (${DIFF[k]}))) d`
    assert.equal(Number((await sql(q))[0][0]), 0, `${when}: rpt_${k} differs from the records`)
  }
}

before(async () => {
  today = teamDay()
  A = await fieldPerson('rla')
  B = await fieldPerson('rlb')
  M1 = await open('manager1')
  D = await open('director')
  admin = await open('admin')
  ids.A = A.user.id
  ids.B = B.user.id
  const t = tag()
  ids.c1 = (await newCustomer(A, `汇总甲${t}科技有限公司`, { region: 'ec' })).id
  ids.c2 = (await newCustomer(A, `汇总乙${t}贸易有限公司`, { region: 'nc' })).id
  ids.cb = (await newCustomer(B, `汇总丙${t}食品有限公司`, { region: 'sc' })).id
  await ok(await submit(A, 'visit', visitData(ids.c1)), 'visit c1')
  await ok(await submit(A, 'visit', visitData(ids.c2)), 'visit c2')
  await ok(await submit(B, 'visit', visitData(ids.cb)), 'visit cb')
  await ok(await submit(A, 'deal', { customer_id: ids.c1, deal_date: today, amount: '120.50' }), 'deal c1')
  await ok(await submit(A, 'deal', { customer_id: ids.c2, deal_date: today, amount: '80.25' }), 'deal c2')
  await ok(await submit(B, 'deal', { customer_id: ids.cb, deal_date: today, amount: '9.00' }), 'deal cb')
})

after(closeAll)

test('the roll-ups equal the records after documents are applied', async () => {
  await assertExact('after visits, deals and new customers')
})

test('a region change moves the customer\'s visits, deals and new-customer count', async () => {
  const before = await sql(`select coalesce(sum(n), 0) from rpt_deals_m where staff_id = ${ids.A} and region = 'sc'`)
  await ok(await submit(M1, 'customer_change', { customer_id: ids.c2, region: 'sc', reason: `汇总区域变更${tag()}` }), 'region change')
  assert.equal((await sql(`select region from customers where id = ${ids.c2}`))[0][0], 'sc', 'the change is applied')
  const afterRows = await sql(`select coalesce(sum(n), 0) from rpt_deals_m where staff_id = ${ids.A} and region = 'sc'`)
  assert.equal(Number(afterRows[0][0]), Number(before[0][0]) + 1)
  await assertExact('after a region change')
})

test('an import leaves the roll-ups exact (imported customers are not new customers)', async () => {
  const t = tag()
  const row = (name) => [name, '杭州市西湖区文三路1号', '陈先生', '0571-88886666', '华东', '中小企业', '转介绍', '', '', 'sales2']
  const pre = await upload(admin, withBom(csv([HEADER_ZH.split(','), row(`汇总导入${t}甲`), row(`汇总导入${t}乙`)])))
  assert.equal(pre.status, 201, pre.text.slice(0, 300))
  const news = await sql(DIFF.news)
  const doc = await submitImport(admin, pre.json.import.id, 'all')
  assert.equal(doc.status, 201, doc.text.slice(0, 300))
  assert.equal(Number((await sql(`select count(*) from customers where name like '汇总导入${t}%'`))[0][0]), 2)
  assert.deepEqual(await sql(DIFF.news), news, 'no new-customer count from an import')
  await assertExact('after an import')
})

test('whole-month reports read the roll-ups and equal direct SQL over the records', async () => {
  // s11 for the year (director: everyone) and for A alone.
  for (const params of [{}, { staff: ids.A }]) {
    const who = params.staff ? `and d.staff_id = ${params.staff}` : ''
    const rep = await report(D, 's11_deal_amount_region', params)
    await sameAsSql(rep, `select ${ZH('region', 'c.region')}, count(*)::text, sum(d.amount)::numeric(16,2)::text from deals d join customers c on c.id = d.customer_id where ${IN_YEAR('d.deal_date')} ${who} group by c.region`, ['region', 'deals', 'amount'])
  }
  // s10 with a region filter.
  const s10 = await report(D, 's10_deal_amount_staff_region', { region: 'sc' })
  await sameAsSql(s10, `select ${STAFF('d.staff_id')}, ${ZH('region', 'c.region')}, count(*)::text, sum(d.amount)::numeric(16,2)::text from deals d join customers c on c.id = d.customer_id where ${IN_YEAR('d.deal_date')} and c.region = 'sc' group by d.staff_id, c.region`, ['staff', 'region', 'deals', 'amount'])
  assert.ok(s10.rows.length >= 2, 'A (the moved customer) and B have deals in sc')
  // s03 this month: visits and the last visit day per region.
  const s03 = await report(D, 's03_visits_by_region')
  await sameAsSql(s03, `select ${ZH('region', 'c.region')}, count(*)::text, to_char(max(v.captured_at::date), 'YYYY-MM-DD') from visits v join customers c on c.id = v.customer_id where ${IN_MONTH('v.captured_at')} group by c.region`, ['region', 'visits', 'last_visit'])
  // s04 this year, by region and month (A's new customers).
  const s04 = await report(D, 's04_new_by_region_month', { staff: ids.A })
  const month = Number(today.slice(5, 7))
  const mk = `m${String(month).padStart(2, '0')}`
  await sameAsSql(s04, `select ${ZH('region', 'c.region')}, count(*)::text, count(*)::text from documents x join customers c on c.id = x.customer_id where x.kind = 'customer_new' and x.status = 'approved' and x.applicant_id = ${ids.A} and ${IN_YEAR('x.applied_at')} group by c.region`, ['region', 'total', mk])
  // s08 / s09 from the activity figures.
  const s09 = await report(D, 's09_deal_amount_staff_month', { staff: ids.B })
  await sameAsSql(s09, `select ${STAFF('a.staff_id')}, sum(a.deals)::text, sum(a.deal_amount)::numeric(16,2)::text from activity_daily a where a.staff_id = ${ids.B} and ${IN_MONTH('a.day')} group by a.staff_id`, ['staff', 'deals', 'deal_amount'])
  const s08 = await report(D, 's08_deal_amount_staff_year', { staff: ids.A })
  await sameAsSql(s08, `select ${STAFF('a.staff_id')}, sum(a.deal_amount)::numeric(16,2)::text from activity_daily a where a.staff_id = ${ids.A} and ${IN_YEAR('a.day')} group by a.staff_id`, ['staff', 'total'])
})

test('a manager sees only the team in the roll-up answers', async () => {
  const rep = await report(M1, 's11_deal_amount_region')
  await sameAsSql(rep, `select ${ZH('region', 'c.region')}, count(*)::text, sum(d.amount)::numeric(16,2)::text from deals d join customers c on c.id = d.customer_id where ${IN_YEAR('d.deal_date')} and d.staff_id in (select st.id from staff st where st.department_id in (select crm_managed_depts(${M1.user.id}))) group by c.region`, ['region', 'deals', 'amount'])
})

test('a period that is not whole months answers from the records', async () => {
  const rep = await report(D, 's11_deal_amount_region', { from: today, to: today })
  await sameAsSql(rep, `select ${ZH('region', 'c.region')}, count(*)::text, sum(d.amount)::numeric(16,2)::text from deals d join customers c on c.id = d.customer_id where d.deal_date = '${today}'::date group by c.region`, ['region', 'deals', 'amount'])
  // And with a customer filter (type), also from the records.
  const typed = await report(D, 's11_deal_amount_region', { type: 'enterprise_small' })
  await sameAsSql(typed, `select ${ZH('region', 'c.region')}, count(*)::text, sum(d.amount)::numeric(16,2)::text from deals d join customers c on c.id = d.customer_id where ${IN_YEAR('d.deal_date')} and c.type_code in (select crm_type_subtree('enterprise_small')) group by c.region`, ['region', 'deals', 'amount'])
})

test('the answer comes from the roll-up for whole months and from the records otherwise', async () => {
  // A probe row only in the roll-up (A has no deal in region nw): seen by
  // the whole-month statement, not by the record one; then removed.
  await sql(`insert into rpt_deals_m (staff_id, region, month, n, amount) values (${ids.A}, 'nw', date_trunc('month', current_date)::date, 1, 1.00)`)
  try {
    const roll = await report(D, 's10_deal_amount_staff_region', { staff: ids.A, region: 'nw' })
    assert.equal(roll.total, 1, 'the whole-year statement reads rpt_deals_m')
    assert.equal(roll.rows[0].amount, '1.00')
    const rec = await report(D, 's10_deal_amount_staff_region', { staff: ids.A, region: 'nw', from: today, to: today })
    assert.equal(rec.total, 0, 'a single day reads the deals')
    const typed = await report(D, 's10_deal_amount_staff_region', { staff: ids.A, region: 'nw', type: 'enterprise_small' })
    assert.equal(typed.total, 0, 'a type filter reads the deals')
  } finally {
    await sql(`delete from rpt_deals_m where staff_id = ${ids.A} and region = 'nw'`)
  }
  await assertExact('after the probe')
})
