// CUS-IMPORT with a real spreadsheet: 10,000 customers saved as .xlsx by
// LibreOffice (tests/api/fixtures/import-10000.xlsx, made by
// make-import-fixtures.sh).  The pre-check reads every row, the import
// creates exactly the good rows with numbers of the customer pattern, the
// result lists them, and a repeated submit (same Idempotency-Key) imports
// once while another submit of the same file is refused.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'

import { api, errorOf, crmctl, PASSWORD } from './lib.mjs'
import { open, closeAll, sqlInt, sqlOne, idemKey } from './archive-lib.mjs'
import { fixture, upload, submitImport } from './import-lib.mjs'

let admin
before(async () => {
  // The owner a few rows of the fixture name (the rest go to the public pool).
  if ((await sqlInt("select count(*) from staff where login = 'imp-owner'")) === 0) {
    await crmctl(['user', 'add', 'imp-owner', '导入负责人', 'salesperson'], { CRM_PASSWORD: PASSWORD })
  }
  admin = await open('admin')
})
after(closeAll)

// The pattern's {seq:4} grows past 9999 customers a day.
const CUSTOMER_NUMBER = /^C\d{8}-\d{4,}$/
const FIXTURE_NAMES = "name like '导入样例%'"

test('a 10,000-row LibreOffice .xlsx is pre-checked, imported once, and the archive holds exactly its rows', async () => {
  const already = await sqlInt(`select count(*) from customers where ${FIXTURE_NAMES}`)
  const before = await sqlInt('select count(*) from customers')

  const pre = await upload(admin, fixture('import-10000.xlsx'), 'import-10000.xlsx')
  assert.equal(pre.status, 201, pre.text.slice(0, 300))
  const imp = pre.json.import
  assert.equal(imp.file_kind, 'xlsx')
  assert.equal(imp.total, 10000, 'every data row was read')
  // A fresh archive: all good.  After an earlier run: those rows are duplicates.
  assert.equal(imp.good, 10000 - already)
  assert.equal(imp.bad, already)
  assert.equal(imp.counts.duplicate_in_archive || 0, already)
  assert.equal(imp.status, 'checked')
  assert.equal(await sqlInt('select count(*) from customers'), before, 'the pre-check writes nothing to the archive')

  if (imp.good === 0) return // nothing more to prove on a re-run
  const key = idemKey('imp10k')
  const mode = imp.bad ? 'good_only' : 'all'
  const first = await submitImport(admin, imp.id, mode, key)
  assert.equal(first.status, 201, first.text.slice(0, 300))
  assert.equal(first.json.applied, true, "an admin's import applies at once (rules/routing.lua)")
  assert.equal(first.json.result.imported, imp.good)
  assert.match(first.json.result.first_number, CUSTOMER_NUMBER)

  // The same submit again (a double click, a retry): the first answer, nothing twice.
  const again = await submitImport(admin, imp.id, mode, key)
  assert.equal(again.status, 201)
  assert.equal(again.headers.get('idempotent-replayed'), 'true')
  assert.equal(again.json.document.id, first.json.document.id)
  // Another submit of the same file: refused.
  const other = await submitImport(admin, imp.id, mode)
  assert.equal(other.status, 409)
  assert.match(errorOf(other).message, /已经导入/)

  assert.equal(await sqlInt('select count(*) from customers'), before + imp.good, 'exactly the good rows were added')
  assert.equal(await sqlInt(`select count(*) from customers where ${FIXTURE_NAMES}`), 10000)
  assert.equal(await sqlInt(`select count(*) from customers where import_id = ${imp.id}`), imp.good)
  assert.equal(await sqlInt(`select count(distinct number) from customers where import_id = ${imp.id}`), imp.good)
  // Values from the sheet: labels became codes; the phone (a number cell) kept its digits.
  const row1 = await sqlOne(
    `select concat_ws('|', region, type_code, source, stage, status, phone, o.login) from customers c ` +
      `left join staff o on o.id = c.owner_id where c.name = '导入样例客户00001有限公司' and import_id = ${imp.id}`
  )
  if (already === 0) assert.equal(row1, 'ec|enterprise_medium|referral|needs|interested|13800000001|imp-owner')
  if (already === 0) assert.equal(await sqlInt(`select count(*) from customers c join staff o on o.id = c.owner_id where o.login = 'imp-owner' and import_id = ${imp.id}`), 20)
  // The document is in the audit log with its row count.
  assert.equal(await sqlInt(`select count(*) from audit_log where action = 'import' and object_id = '${imp.id}'`), 1)

  // The result page: the new customers with their numbers, in file order.
  const list = await api('GET', `/api/v1/imports/${imp.id}/customers?page=1&size=5`, { cookie: admin.cookie })
  assert.equal(list.status, 200)
  assert.equal(list.json.total, imp.good)
  assert.equal(list.json.items.length, 5)
  assert.equal(list.json.items[0].number, first.json.result.first_number)
  for (const c of list.json.items) assert.match(c.number, CUSTOMER_NUMBER)
  const state = await api('GET', `/api/v1/imports/${imp.id}`, { cookie: admin.cookie })
  assert.equal(state.json.import.status, 'done')
  assert.equal(state.json.import.progress.phase, 'done')
  assert.equal(state.json.import.progress.done, imp.good)
  assert.equal(state.json.import.document.status, 'approved')
})
