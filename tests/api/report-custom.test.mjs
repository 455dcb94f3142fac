// User-defined reports (RPT-CUSTOM), the portal (RPT-PORTAL), export to
// .xlsx, and `crmctl rules check` over report files: a report created
// through the API shows the expected rows; a broken definition is refused
// with 422 naming the report and the field while every other report keeps
// working; who may write and read custom reports; the exported workbook.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'

import { api, errorOf, REPO } from './lib.mjs'
import { closeAll, newCustomer, open, RULES, sql, sqlInt, submit, tag } from './archive-lib.mjs'
import { fieldPerson, visitData } from './field-lib.mjs'
import { sheetRows } from './import-lib.mjs'
import { report, reportRes, sameAsSql } from './report-lib.mjs'

let admin, M1, M2, S, D, P, pc
const t = tag(6)
const hostile = `=HYPERLINK("http://evil.example/${t}","报表")`

function post(s, definition) {
  return api('POST', '/api/v1/reports', { cookie: s.cookie, csrf: s.csrf, body: { definition } })
}
function put(s, name, definition) {
  return api('PUT', `/api/v1/reports/${name}`, { cookie: s.cookie, csrf: s.csrf, body: { definition } })
}

// Customers per region of one owner, with their visits: a copy of s13's shape.
const perRegion = (name) => ({
  name,
  title: { zh: `测试区域统计${t}`, en: `Test by region ${t}` },
  kind: 'stat',
  source: 'customers',
  filters: [{ name: 'staff' }, { name: 'type' }],
  columns: [
    { key: 'region', field: 'region' },
    { key: 'n', measure: 'count', zh: '客户数', en: 'Customers' },
    { key: 'visits', measure: 'sum', field: 'visit_count' }
  ],
  sort: 'region',
  chart: { type: 'bar', category: 'region', values: ['n'] },
  drill: { report: 'q09_customers' }
})

before(async () => {
  admin = await open('admin')
  M1 = await open('manager1')
  M2 = await open('manager2')
  D = await open('director')
  S = await open('sales1')
  P = await fieldPerson('rpc')
  pc = (await newCustomer(P, `自定义报表甲${t}有限公司`, { region: 'ec' })).id
  await newCustomer(P, `自定义报表乙${t}有限公司`, { region: 'ec' })
  await newCustomer(P, `自定义报表丙${t}有限公司`, { region: 'cc', type: 'gov_agency' })
  await newCustomer(P, hostile, { region: 'nc' })
})

after(closeAll)

describe('user-defined reports', () => {
  test('an admin creates a report through the API and it shows the expected rows', async () => {
    const name = `c_region_${t}`
    const r = await post(admin, perRegion(name))
    assert.equal(r.status, 201, r.text)
    assert.equal(r.json.name, name)
    const rep = await report(D, name, { staff: P.user.id })
    assert.equal(rep.custom, true)
    await sameAsSql(rep, `select (select name_zh from list_items where list = 'region' and code = region), count(*)::text, sum(visit_count)::text from customers where owner_id = ${P.user.id} group by region`, ['region', 'n', 'visits'])
    assert.deepEqual(rep.rows.map((x) => x.n), [1, 2, 1])
    // Its drill lands on the customers behind the figure.
    const row = rep.rows.find((x) => x.n === 2)
    const list = await report(D, 'q09_customers', { ...row._drill, ...rep.drill.by.n })
    assert.equal(list.total, 2)
    // Listed for everyone (an admin's report), with its definition readable.
    const names = (await api('GET', '/api/v1/reports', { cookie: S.cookie })).json.reports
    const mine = names.find((x) => x.name === name)
    assert.deepEqual([mine.custom, mine.editable, mine.kind, mine.chart], [true, false, 'stat', 'bar'])
    const def = await api('GET', `/api/v1/reports/${name}/definition`, { cookie: admin.cookie })
    assert.equal(def.status, 200)
    assert.equal(def.json.definition.source, 'customers')
    assert.equal(def.json.editable, true)
    // A salesperson reading it sees only their own customers.
    const own = await report(S, name)
    assert.equal(own.rows.reduce((n, x) => n + x.n, 0), await sqlInt(`select count(*) from customers c where owner_id = ${S.user.id} or exists (select 1 from customer_shares s where s.customer_id = c.id and s.staff_id = ${S.user.id})`))
  })

  test('a copy of a built-in report, changed and saved under a new name', async () => {
    const def = (await api('GET', '/api/v1/reports/q09_customers/definition', { cookie: admin.cookie })).json.definition
    def.name = `c_copy_${t}`
    def.columns = def.columns.filter((c) => c.key !== 'visit_count').concat([{ key: 'phone', field: 'phone' }])
    def.title = { zh: '客户电话', en: 'Customer phones' }
    assert.equal((await post(admin, def)).status, 201)
    const rep = await report(D, def.name, { staff: P.user.id })
    assert.deepEqual(rep.columns.map((c) => c.key), ['name', 'type', 'status', 'region', 'owner', 'phone'])
    assert.equal(rep.total, 4)
    assert.ok(rep.rows.every((r) => r._link.type === 'customer'))
  })

  test('a broken definition gives 422 naming the report and the field; other reports keep working', async () => {
    const bad = perRegion(`c_bad_${t}`)
    bad.columns[2].field = 'amountt'
    const r = await post(admin, bad)
    assert.equal(r.status, 422)
    const e = errorOf(r)
    assert.equal(e.code, 'report_invalid')
    assert.equal(e.field, 'columns')
    assert.match(e.message, new RegExp(`c_bad_${t}`))
    assert.match(e.message, /amountt/)
    const en = await api('POST', '/api/v1/reports', { cookie: admin.cookie, csrf: admin.csrf, body: { definition: bad }, headers: { 'accept-language': 'en' } })
    assert.match(errorOf(en).message, /amountt/)
    for (const [mutate, field] of [
      [(d) => { d.source = 'secrets' }, 'source'],
      [(d) => { d.columns[1].measure = 'median' }, 'columns'],
      [(d) => { d.filters.push({ name: 'staff' }) }, 'filters'],
      [(d) => { d.chart.values = ['zz'] }, 'chart'],
      [(d) => { d.columns[0].key = 'x"; drop table staff; --' }, 'columns'],
      [(d) => { d.sql = 'select 1' }, 'sql'],
      [(d) => { d.drill = { report: 'q99_none' } }, 'drill']
    ]) {
      const d = perRegion(`c_bad2_${t}`)
      mutate(d)
      const rr = await post(admin, d)
      assert.equal(rr.status, 422, `${field}: ${rr.text}`)
      assert.equal(errorOf(rr).field, field)
    }
    assert.equal((await reportRes(D, `c_bad_${t}`)).status, 404, 'nothing was stored')
    assert.equal((await api('GET', '/api/v1/reports', { cookie: D.cookie })).status, 200)
    assert.equal((await reportRes(D, 's06_business_per_staff')).status, 200)
    assert.equal(await sqlInt('select count(*) from staff') > 0, true)
  })

  test('a stored report that stopped compiling answers 422 alone, and can be mended', async () => {
    const name = `c_mend_${t}`
    assert.equal((await post(admin, perRegion(name))).status, 201)
    assert.equal((await reportRes(D, name)).status, 200)
    // Broken behind the API's back (as an edit of the compiler's tables would).
    await sql(`update reports set definition = jsonb_set(definition, '{columns,2,field}', '"amountt"') where name = '${name}'`)
    const r = await reportRes(D, name)
    assert.equal(r.status, 422)
    assert.equal(errorOf(r).code, 'report_invalid')
    assert.match(errorOf(r).message, new RegExp(`${name}.*amountt`))
    const list = await api('GET', '/api/v1/reports', { cookie: D.cookie })
    assert.equal(list.status, 200)
    assert.ok(!list.json.reports.some((x) => x.name === name), 'left out of the list')
    assert.equal((await reportRes(D, 's13_customers_stage')).status, 200)
    const def = await api('GET', `/api/v1/reports/${name}/definition`, { cookie: admin.cookie })
    assert.equal(def.status, 200, 'the broken definition can still be read')
    def.json.definition.columns[2].field = 'visit_count'
    assert.equal((await put(admin, name, def.json.definition)).status, 200)
    assert.equal((await reportRes(D, name)).status, 200)
  })

  test('salespeople and directors may not define reports; a manager edits only their own', async () => {
    assert.equal((await post(S, perRegion(`c_s_${t}`))).status, 403)
    assert.equal((await post(D, perRegion(`c_d_${t}`))).status, 403)
    const name = `c_team_${t}`
    assert.equal((await post(M1, perRegion(name))).status, 201)
    assert.equal((await post(M1, perRegion(name))).status, 409, 'the name is taken')
    // Readable by the manager's team, not by the other team.
    assert.equal((await reportRes(S, name)).status, 200)
    assert.equal((await reportRes(M2, name)).status, 404)
    assert.equal((await put(M2, name, perRegion(name))).status, 404)
    const changed = perRegion(name)
    changed.title = { zh: '改过的', en: 'Changed' }
    assert.equal((await put(M1, name, changed)).status, 200)
    assert.equal((await report(M1, name)).title, '改过的')
    assert.equal((await put(admin, name, changed)).status, 200)
    assert.equal((await put(admin, 'q09_customers', changed)).status, 403, 'built-ins live in rules/reports')
    const broken = perRegion(name)
    broken.kind = 'pivot'
    const r = await put(M1, name, broken)
    assert.equal(r.status, 422)
    assert.equal(errorOf(r).field, 'kind')
    assert.equal((await reportRes(M1, name)).status, 200, 'the stored version still works')
  })

  test('the builder lists the sources with their fields, measures and filters', async () => {
    const r = await api('GET', '/api/v1/reports/sources', { cookie: admin.cookie })
    assert.equal(r.status, 200)
    const deals = r.json.sources.find((s) => s.name === 'deals')
    const amount = deals.fields.find((f) => f.key === 'amount')
    assert.deepEqual([amount.type, amount.group, amount.measures.includes('sum')], ['money', false, true])
    assert.ok(deals.filters.includes('from') && deals.filters.includes('region'))
    const act = r.json.sources.find((s) => s.name === 'activity')
    assert.ok(!act.filters.includes('region'), 'activity figures have no customer')
  })
})

describe('result cache', () => {
  test('a cached report is never stale after a document is applied', async () => {
    const first = await reportRes(P, 's07_my_business')
    assert.equal(first.status, 200)
    const again = await reportRes(P, 's07_my_business')
    assert.equal(again.headers.get('x-report-cache'), 'hit', 'the second read comes from Redis')
    assert.deepEqual(again.json, first.json)
    const before0 = first.json.rows[0]?.visits ?? 0
    const v = await submit(P, 'visit', visitData(pc))
    assert.equal(v.status, 201, v.text)
    const after0 = await reportRes(P, 's07_my_business')
    assert.equal(after0.headers.get('x-report-cache'), null, 'recomputed')
    assert.equal(after0.json.rows[0].visits, before0 + 1)
  })
})

describe('portal', () => {
  test('each role gets its dashboard of rules/portal.lua', async () => {
    const sales = (await api('GET', '/api/v1/portal', { cookie: S.cookie })).json.items
    assert.ok(sales.length > 0)
    assert.ok(sales.every((i) => /^s\d\d_my_/.test(i.report) && [12, 24].includes(i.span)), JSON.stringify(sales))
    const mgr = (await api('GET', '/api/v1/portal', { cookie: M1.cookie })).json.items.map((i) => i.report)
    for (const n of ['s06_business_per_staff', 's11_deal_amount_region', 's08_deal_amount_staff_year', 's04_new_by_region_month']) assert.ok(mgr.includes(n), n)
    for (const i of mgr) assert.equal((await reportRes(M1, i)).status, 200, i)
  })
})

describe('export', () => {
  test('salespeople get 403', async () => {
    const r = await api('GET', '/api/v1/reports/q09_customers/export', { cookie: S.cookie, raw: true })
    assert.equal(r.status, 403)
  })

  test('a manager gets a readable .xlsx of every row, audited', async () => {
    const before0 = await sqlInt("select count(*) from audit_log where action = 'report_export'")
    const res = await fetch(`${process.env.CRM_URL || 'http://127.0.0.1:8080'}/api/v1/reports/q09_customers/export?staff=${P.user.id}`, { headers: { cookie: `crm_session=${M1.cookie}` } })
    assert.equal(res.status, 200)
    assert.match(res.headers.get('content-disposition'), /attachment; filename="q09_customers\.xlsx"/)
    const buf = Buffer.from(await res.arrayBuffer())
    assert.equal(buf.subarray(0, 2).toString(), 'PK')
    const sheet = sheetRows(buf)
    assert.deepEqual(sheet[0], ['客户名称', '客户类型', '客户状态', '区域', '负责人', '拜访次数'])
    assert.equal(sheet.length, 5, 'the header and every customer of the person')
    const names = sheet.slice(1).map((r) => r[0])
    assert.ok(names.includes(`自定义报表甲${t}有限公司`))
    // A name that looks like a formula is written as text, never run.
    assert.ok(names.includes(`'${hostile}`), JSON.stringify(names))
    for (const row of sheet.slice(1)) for (const cell of row) assert.ok(!/^[=+\-@\t\r]/.test(cell), `no cell starts a formula: ${cell}`)
    assert.equal(res.headers.get('x-export-rows'), '4')
    assert.equal(await sqlInt("select count(*) from audit_log where action = 'report_export'"), before0 + 1)
  })
})

describe('crmctl rules check', () => {
  test('reports a broken report file, naming it and the field; the good ones still pass', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'crm-rpt-rules-'))
    try {
      cpSync(RULES, dir, { recursive: true })
      const good = readFileSync(path.join(dir, 'reports', 'q06_deals.lua'), 'utf8')
      writeFileSync(path.join(dir, 'reports', 'zz_broken.lua'), good.replace('field = "amount"', 'field = "amountt"'))
      writeFileSync(path.join(dir, 'reports', 'zz_syntax.lua'), 'return { title = ')
      const out = await new Promise((resolve) => execFile(path.join(REPO, process.env.CRM_BUILD || 'build', 'crmctl'), ['rules', 'check', dir], (err, stdout) => resolve({ code: err ? err.code : 0, stdout })))
      assert.notEqual(out.code, 0)
      assert.match(out.stdout, /not ok \d+ - report zz_broken: unknown field "amountt" in columns/)
      assert.match(out.stdout, /not ok \d+ - .*zz_syntax/)
      assert.match(out.stdout, /^ok \d+ - report q06_deals$/m)
      assert.match(out.stdout, /^ok \d+ - portal$/m)
      // A portal naming an unknown report is caught too.
      rmSync(path.join(dir, 'reports', 'zz_broken.lua'))
      rmSync(path.join(dir, 'reports', 'zz_syntax.lua'))
      writeFileSync(path.join(dir, 'portal.lua'), 'return { admin = { { report = "s99_none", span = 24 } } }')
      const out2 = await new Promise((resolve) => execFile(path.join(REPO, process.env.CRM_BUILD || 'build', 'crmctl'), ['rules', 'check', dir], (err, stdout) => resolve({ code: err ? err.code : 0, stdout })))
      assert.notEqual(out2.code, 0)
      assert.match(out2.stdout, /not ok \d+ - portal: admin: unknown report "s99_none"/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
