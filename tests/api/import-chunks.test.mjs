// CUS-IMPORT across the pre-check's chunk boundary (h_import.c checks 500 rows
// per rule call and per query): a file of 502 data rows whose problems sit in
// the second chunk reports them with the spreadsheet's row numbers and columns,
// in both languages; a name in the second chunk that folds (full-width
// letters, spaces, company suffix: rules/customer.lua) to a name of the first
// chunk is a duplicate inside the file; the good rows are then imported, all of
// them and no other.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'

import { open, closeAll, sqlInt, sqlOne, tag, lit } from './archive-lib.mjs'
import { upload, submitImport, csv, withBom, HEADER_ZH } from './import-lib.mjs'

let admin
before(async () => {
  admin = await open('admin')
})
after(closeAll)

const header = HEADER_ZH.split(',')
const good = (name) => [name, '杭州市西湖区文三路1号', '陈先生', '0571-88886666', '华东', '中小企业', '转介绍', '', '', '']

test('a file of two chunks: problems in the second chunk keep their row, column and language; folding finds duplicates across chunks', async () => {
  const t = tag()
  const ascii = `Chunk${t}`.replace(/[^A-Za-z0-9]/g, '')
  const rows = [header]
  rows.push(good(`${ascii}x`)) // row 2, first chunk
  for (let i = 1; i < 500; i++) rows.push(good(`分块${t}客户${i}有限公司`)) // rows 3..501
  // Row 502, the first of the second chunk: the same customer as row 2, written
  // in full-width letters with spaces and a company suffix.
  const wide = [...`${ascii}X`].map((ch) => String.fromCodePoint(ch.codePointAt(0) + 0xfee0)).join('')
  rows.push(good(`　${wide} 有限公司`))
  rows.push(good(`分块${t}客户末行`).map((v, i) => (i === 3 ? '12' : v))) // row 503: bad phone
  const pre = await upload(admin, withBom(csv(rows)), 'chunks.csv')
  assert.equal(pre.status, 201, pre.text.slice(0, 300))
  const imp = pre.json.import
  assert.deepEqual([imp.total, imp.good, imp.bad], [502, 500, 2])
  assert.deepEqual(imp.problems.map((p) => [p.row, p.column, p.field, p.code]), [
    [502, 1, 'name', 'duplicate_in_file'],
    [503, 4, 'phone', 'invalid']
  ])
  assert.match(imp.problems[0].message, /与第 2 行的客户重名/)
  assert.match(imp.problems[1].message, /联系电话格式不正确/)
  // Both languages are kept with each problem.
  assert.equal(await sqlOne(`select problems->0->>'en' from imports where id = ${Number(imp.id)}`), 'Same customer as row 2.')
  assert.match(await sqlOne(`select problems->1->>'en' from imports where id = ${Number(imp.id)}`), /is not a valid number/)
  assert.equal(imp.problems[1].header, '联系电话')

  const doc = await submitImport(admin, imp.id, 'good_only')
  assert.equal(doc.status, 201, doc.text.slice(0, 300))
  assert.equal(doc.json.result.imported, 500)
  assert.equal(await sqlInt(`select count(*) from customers where import_id = ${Number(imp.id)}`), 500)
  assert.equal(await sqlInt(`select count(*) from customers where name like ${lit(`%分块${t}客户%`)}`), 499)
  assert.equal(await sqlInt(`select count(*) from customers where name_norm = ${lit(`${ascii}x`.toLowerCase())}`), 1)
})
