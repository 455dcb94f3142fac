// CUS-IMPORT against hostile and broken files: a zip bomb, an archive of
// 100,000 entries (both refused before anything is unpacked), truncated .xlsx
// and CSV files, bytes that are no spreadsheet, an empty upload, a file without
// the required columns.  Every one gets a clear answer in the user's language,
// no worker dies, and the archive is unchanged.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'

import { errorOf, health } from './lib.mjs'
import { open, closeAll, sqlInt } from './archive-lib.mjs'
import { fixture, upload, zip, csv, withBom, HEADER_ZH } from './import-lib.mjs'

let admin, customers
before(async () => {
  admin = await open('admin')
  customers = await sqlInt('select count(*) from customers')
})
after(async () => {
  // Nothing above may have reached the archive (other files import in parallel,
  // so only this file's own names are counted).
  assert.equal(await sqlInt("select count(*) from customers where name like '炸弹%'"), 0)
  await closeAll()
})

// The parts of a minimal workbook, with the sheet given.
function workbook(sheetXml, extra = []) {
  const ct =
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>'
  const wb =
    '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' +
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'
  const rels =
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
  return zip([
    { name: '[Content_Types].xml', data: Buffer.from(ct) },
    { name: 'xl/workbook.xml', data: Buffer.from(wb) },
    { name: 'xl/_rels/workbook.xml.rels', data: Buffer.from(rels) },
    { name: 'xl/worksheets/sheet1.xml', data: sheetXml },
    ...extra
  ])
}

test('a zip bomb is refused quickly, before it is unpacked', async () => {
  // 64 MB of the same byte packed into about 64 KB (ratio ~1000:1).
  const inner = Buffer.alloc(64 << 20, 0x20)
  inner.write('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>', 0)
  const bomb = workbook(inner)
  assert.ok(bomb.length < 1 << 20, `the bomb is small: ${bomb.length}`)
  const r = await upload(admin, bomb, '炸弹.xlsx')
  assert.equal(r.status, 413, r.text.slice(0, 300))
  assert.match(errorOf(r).message, /文件过大或结构异常/)
  assert.equal(errorOf(r).field, 'file')
})

test('an archive of 100,000 entries is refused quickly', async () => {
  const entries = []
  for (let i = 0; i < 100000; i++) entries.push({ name: `x/${i}`, data: Buffer.alloc(0), store: true })
  const many = zip(entries)
  const r = await upload(admin, many, '炸弹多.xlsx')
  assert.equal(r.status, 413, r.text.slice(0, 300))
  assert.match(errorOf(r).message, /条目过多/)
})

test('truncated, foreign and empty files get a clear answer', async () => {
  const xlsx = fixture('import-10000.xlsx')
  const cut = await upload(admin, xlsx.subarray(0, Math.floor(xlsx.length / 2)), '炸弹半.xlsx')
  assert.equal(cut.status, 422, cut.text.slice(0, 300))
  assert.match(errorOf(cut).message, /已损坏或不是 \.xlsx/)

  const cutCsv = await upload(admin, withBom(`${HEADER_ZH}\r\n"炸弹引号,没有闭合\r\n`), '炸弹.csv')
  assert.equal(cutCsv.status, 422)
  assert.match(errorOf(cutCsv).message, /不是 CSV/)

  const noSheet = await upload(admin, zip([{ name: 'hello.txt', data: Buffer.from('hi') }]), '炸弹.xlsx')
  assert.equal(noSheet.status, 422)

  const binary = Buffer.alloc(4096)
  for (let i = 0; i < binary.length; i++) binary[i] = (i * 7919 + 13) & 0xff
  const junk = await upload(admin, binary, '炸弹.csv')
  assert.equal(junk.status, 422, junk.text.slice(0, 300))
  assert.match(errorOf(junk).message, /编码|已损坏/)

  const empty = await upload(admin, Buffer.alloc(0), 'empty.csv')
  assert.equal(empty.status, 400)
  assert.equal(errorOf(empty).field, 'file')
})

test('a file without the required columns is answered with the missing columns, nothing to import', async () => {
  const r = await upload(admin, withBom(csv([['客户名称', '备注'], ['炸弹缺列', 'x']])), '炸弹缺列.csv')
  assert.equal(r.status, 201)
  const imp = r.json.import
  assert.equal(imp.good, 0)
  const codes = imp.problems.map((p) => p.code)
  assert.ok(codes.includes('missing_column'))
  assert.ok(imp.problems.some((p) => p.code === 'unknown_column' && p.column === 2 && /备注/.test(p.message)))
  assert.ok(imp.problems.some((p) => p.code === 'missing_column' && /地址/.test(p.message)))
})

test('the service is still up, with every worker', async () => {
  const h = await health()
  assert.equal(h.status, 200)
  assert.equal(h.body.postgres, 'up')
  assert.ok(customers > 0)
})
