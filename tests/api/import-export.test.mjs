// Export (PLT-NODELETE, CUS-IMPORT): customers as .xlsx with the list's
// filters for managers, directors and admins; salespeople get 403 on every
// export; every export is in the audit log with how many rows.  A hostile cell
// survives import -> export neutralised: the archive keeps what was typed, the
// spreadsheet shows it as text that no spreadsheet program runs.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'

import { api, errorOf, BASE } from './lib.mjs'
import { open, closeAll, sqlInt, sqlOne, tag, lit } from './archive-lib.mjs'
import { upload, submitImport, csv, withBom, HEADER_ZH, sheetRows } from './import-lib.mjs'

let admin, sales, manager, director
before(async () => {
  ;[admin, sales, manager, director] = await Promise.all(['admin', 'sales1', 'manager1', 'director'].map((n) => open(n)))
})
after(closeAll)

async function exportXlsx(s, query) {
  const res = await fetch(`${BASE}/api/v1/exports/customers?${new URLSearchParams(query)}`, {
    headers: { cookie: `crm_session=${s.cookie}` }
  })
  const body = Buffer.from(await res.arrayBuffer())
  return { status: res.status, headers: res.headers, body }
}

test('a hostile cell is imported as typed and exported neutralised; the export is audited', async () => {
  const t = tag()
  const name = `=HYPERLINK("http://evil.example/${t}","点我")`
  const rows = [
    HEADER_ZH.split(','),
    [name, '@SUM(1+1)', '+1+cmd|calc', '-13800138000', '华北', '个人客户', '其他', '', '', '']
  ]
  const pre = await upload(admin, withBom(csv(rows)), 'hostile.csv')
  assert.equal(pre.status, 201, pre.text.slice(0, 300))
  assert.equal(pre.json.import.good, 1, JSON.stringify(pre.json.import.problems))
  const doc = await submitImport(admin, pre.json.import.id, 'all')
  assert.equal(doc.status, 201, doc.text.slice(0, 300))
  assert.equal(await sqlOne(`select name from customers where name = ${lit(name)}`), name, 'the archive keeps what was typed')

  const audits = await sqlInt(`select count(*) from audit_log where action = 'export' and staff_id = ${admin.user.id}`)
  const x = await exportXlsx(admin, { view: 'all', q: `evil.example/${t}` })
  assert.equal(x.status, 200)
  assert.match(x.headers.get('content-type'), /spreadsheetml/)
  assert.equal(x.headers.get('x-export-rows'), '1')
  const sheet = sheetRows(x.body)
  assert.equal(sheet[0][1], '客户名称')
  assert.equal(sheet.length, 2, 'the header and the one customer the filter finds')
  const row = sheet[1]
  assert.equal(row[1], `'${name}`, 'a leading quote: shown as text, never run as a formula')
  assert.equal(row[6], "'+1+cmd|calc")
  assert.equal(row[7], "'-13800138000")
  for (const cell of row) assert.ok(!/^[=+\-@\t\r]/.test(cell), `no cell starts a formula: ${cell}`)
  assert.equal(row[4], '华北', 'codes are shown as names')
  assert.equal(await sqlInt(`select count(*) from audit_log where action = 'export' and staff_id = ${admin.user.id}`), audits + 1)
  const detail = JSON.parse(await sqlOne(`select detail from audit_log where action = 'export' and staff_id = ${admin.user.id} order by id desc limit 1`))
  assert.equal(detail.rows, 1)
  assert.equal(detail.view, 'all')
  assert.equal(detail.q, `evil.example/${t}`)
})

test('salespeople get 403 on every export, and nothing is audited for them', async () => {
  const before = await sqlInt(`select count(*) from audit_log where action = 'export' and staff_id = ${sales.user.id}`)
  for (const view of ['mine', 'pool', 'all', 'shared_with_me']) {
    const r = await api('GET', `/api/v1/exports/customers?view=${view}`, { cookie: sales.cookie })
    assert.equal(r.status, 403, view)
    assert.match(errorOf(r).message, /业务人员不能导出/)
  }
  assert.equal(await sqlInt(`select count(*) from audit_log where action = 'export' and staff_id = ${sales.user.id}`), before)
})

test('managers and directors export what they may see, with the list filters', async () => {
  const m = await exportXlsx(manager, { view: 'all' })
  assert.equal(m.status, 200)
  const mine = await api('GET', '/api/v1/customers?view=all&size=1', { cookie: manager.cookie })
  // The list counts up to 1,000 (total_more past it); the export has every row.
  if (mine.json.total_more) assert.ok(Number(m.headers.get('x-export-rows')) > 1000)
  else assert.equal(Number(m.headers.get('x-export-rows')), mine.json.total, 'the same rows as the list')
  const d = await exportXlsx(director, { view: 'pool', type: 'gov' })
  assert.equal(d.status, 200)
  const n = await sqlInt("select count(*) from customers where owner_id is null and type_code in (select crm_type_subtree('gov'))")
  const pool = await api('GET', '/api/v1/customers?view=pool&type=gov&size=1', { cookie: director.cookie })
  assert.equal(pool.json.total, Math.min(n, 1000))
  assert.equal(Number(d.headers.get('x-export-rows')), n)
  assert.equal(sheetRows(d.body).length, n + 1)
  const bad = await api('GET', '/api/v1/exports/customers?view=everything', { cookie: director.cookie })
  assert.equal(bad.status, 400)
})
