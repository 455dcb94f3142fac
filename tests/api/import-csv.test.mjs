// CUS-IMPORT with CSV files: the templates (generated from the form, custom
// fields included), UTF-8 with and without a BOM, GB18030 as Chinese Excel
// saves it, a file with bad rows (each problem with its row and column, in the
// user's language), duplicates inside the file and against the archive, the
// "all rows" choice refused while rows are bad, a manager's import waiting for
// an admin, salespeople refused, and an import that fails halfway leaving the
// archive exactly as it was.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

import { api, errorOf, sh } from './lib.mjs'
import { open, closeAll, sql, sqlInt, sqlOne, tag, lit, addStaff, decide, idemKey, crmctl } from './archive-lib.mjs'
import { upload, submitImport, csv, withBom, HEADER_ZH, sheetRows } from './import-lib.mjs'

let admin, sales
before(async () => {
  admin = await open('admin')
  sales = await open('sales1')
})
after(closeAll)

const header = HEADER_ZH.split(',')
// A good row: name, address, contact, phone, region, type, source, stage, status, owner.
const good = (name, owner = 'sales2') => [name, '杭州市西湖区文三路1号', '陈先生', '0571-88886666', '华东', '中小企业', '转介绍', '', '', owner]

const countWhere = (like) => sqlInt(`select count(*) from customers where name like ${lit(like)}`)

test('the templates follow the customer form: every importable field, the custom field, the owner, and an explanation sheet', async () => {
  const x = await api('GET', '/api/v1/imports/template?format=xlsx', { cookie: admin.cookie, raw: true })
  assert.equal(x.status, 200)
  assert.match(x.headers.get('content-type'), /spreadsheetml/)
  assert.match(x.headers.get('content-disposition'), /attachment/)
  const buf = Buffer.from(await (await fetch(`${process.env.CRM_URL}/api/v1/imports/template?format=xlsx`, { headers: { cookie: `crm_session=${admin.cookie}` } })).arrayBuffer())
  const data = sheetRows(buf, 1)
  assert.deepEqual(data[0], ['客户名称*', '地址*', '联系人*', '联系电话*', '区域*', '客户类型*', '客户来源*', '销售阶段', '客户状态', '纬度', '经度', '网址', '负责人登录名'])
  const notes = sheetRows(buf, 2)
  assert.equal(notes.length, data[0].length + 1, 'one explanation row per column')
  const region = notes.find((r) => r[0] === '区域*')
  assert.match(region[3], /华北 \/ North China \/ nc/)
  assert.match(notes.find((r) => r[0] === '客户类型*')[3], /中型企业 \/ Medium enterprise \/ enterprise_medium/)

  const c = await api('GET', '/api/v1/imports/template?format=csv', { cookie: admin.cookie, raw: true, headers: { 'accept-language': 'en' } })
  assert.equal(c.status, 200)
  assert.match(c.headers.get('content-type'), /text\/csv/)
  const raw = Buffer.from(await (await fetch(`${process.env.CRM_URL}/api/v1/imports/template?format=csv`, { headers: { cookie: `crm_session=${admin.cookie}` } })).arrayBuffer())
  assert.deepEqual([...raw.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 with a BOM')
  assert.equal(raw.subarray(3).toString('utf8').split('\r\n')[0], '客户名称*,地址*,联系人*,联系电话*,区域*,客户类型*,客户来源*,销售阶段,客户状态,纬度,经度,网址,负责人登录名')

  const bad = await api('GET', '/api/v1/imports/template?format=pdf', { cookie: admin.cookie })
  assert.equal(bad.status, 400)
})

test('salespeople cannot import: template, upload and document are refused', async () => {
  assert.equal((await api('GET', '/api/v1/imports/template', { cookie: sales.cookie })).status, 403)
  const up = await upload(sales, withBom(csv([header, good(`售货员${tag()}`)])))
  assert.equal(up.status, 403)
  assert.match(errorOf(up).message, /业务人员/)
  const doc = await submitImport(sales, 1, 'all')
  assert.equal(doc.status, 403)
})

test('UTF-8 with a BOM, UTF-8 without, and GB18030 are read and imported alike', async () => {
  const t = tag()
  const rows = (enc) => [header, good(`编码${enc}${t}甲`), good(`编码${enc}${t}乙`, ''), good(`编码${enc}${t}丙`, 'sales3')]
  const files = {
    bom: withBom(csv(rows('bom'))),
    utf8: Buffer.from(csv(rows('utf8')), 'utf8')
  }
  // GB18030 as Chinese Excel saves it (iconv, from glibc).
  const tmp = path.join(tmpdir(), `imp-gb-${t}.csv`)
  writeFileSync(tmp, csv(rows('gb')))
  const gb = await sh(`iconv -f UTF-8 -t GB18030 ${tmp} | base64 -w0; rm -f ${tmp}`)
  assert.equal(gb.code, 0, gb.stderr)
  files.gb = Buffer.from(gb.stdout, 'base64')
  assert.notDeepEqual(files.gb, Buffer.from(csv(rows('gb')), 'utf8'), 'really another encoding')
  for (const [enc, buf] of Object.entries(files)) {
    const pre = await upload(admin, buf, `${enc}.csv`)
    assert.equal(pre.status, 201, `${enc}: ${pre.text.slice(0, 300)}`)
    assert.equal(pre.json.import.file_kind, 'csv')
    assert.deepEqual([pre.json.import.total, pre.json.import.good, pre.json.import.bad], [3, 3, 0], enc)
    const doc = await submitImport(admin, pre.json.import.id, 'all')
    assert.equal(doc.status, 201, doc.text.slice(0, 300))
    assert.equal(await countWhere(`编码${enc}${t}%`), 3, enc)
    assert.equal(await sqlOne(`select region || '/' || type_code || '/' || source from customers where name = ${lit(`编码${enc}${t}甲`)}`), 'ec/enterprise_sme/referral')
    assert.equal(await sqlInt(`select count(*) from customers where name = ${lit(`编码${enc}${t}乙`)} and owner_id is null`), 1, 'no owner: the public pool')
  }
})

test('bad rows are each reported with row and column; duplicates inside the file and against the archive', async () => {
  const t = tag()
  const existing = await sqlOne('select name from customers where import_id is null order by id limit 1')
  const rows = [
    header,
    good(`问题${t}甲有限公司`), // row 2: fine
    ['', '地址', '联系人', '13800000000', '华北', '企业客户', '展会', '', '', ''], // 3: no name
    good(`问题${t}丙`).map((v, i) => (i === 3 ? 'abc' : v)), // 4: bad phone
    good(`问题${t}丁`).map((v, i) => (i === 4 ? '火星' : v)), // 5: unknown region
    good(`问题${t}戊`).map((v, i) => (i === 5 ? '外星企业' : v)), // 6: unknown type
    good(`问题${t}己`, 'nobody-such'), // 7: unknown owner
    good(` 问题${t}甲 `), // 8: the same customer as row 2 (spaces, suffix)
    good(existing), // 9: already in the archive
    good(`问题${t}庚`), // 10: fine
    ['', '', '', '', '', '', '', '', '', ''] // 11: blank: skipped
  ]
  const pre = await upload(admin, withBom(csv(rows)), 'problems.csv')
  assert.equal(pre.status, 201, pre.text.slice(0, 300))
  const imp = pre.json.import
  assert.deepEqual([imp.total, imp.good, imp.bad], [9, 2, 7])
  const at = (row) => imp.problems.filter((p) => p.row === row)
  const expect = [
    [3, 1, 'name', 'invalid', /客户名称为必填项/],
    [4, 4, 'phone', 'invalid', /联系电话格式不正确/],
    [5, 5, 'region', 'invalid', /区域不在可选范围内/],
    [6, 6, 'type', 'invalid', /客户类型不在可选范围内/],
    [7, 10, 'owner', 'unknown_owner', /nobody-such/],
    [8, 1, 'name', 'duplicate_in_file', /第 2 行/],
    [9, 1, 'name', 'duplicate_in_archive', /客户已存在：编号 C/]
  ]
  for (const [row, column, field, code, msg] of expect) {
    const p = at(row)
    assert.equal(p.length, 1, `row ${row}: ${JSON.stringify(imp.problems)}`)
    assert.deepEqual([p[0].column, p[0].field, p[0].code], [column, field, code], `row ${row}`)
    assert.equal(p[0].header, header[column - 1])
    assert.match(p[0].message, msg)
  }
  assert.deepEqual(imp.counts, { total: 7, invalid: 4, unknown_owner: 1, duplicate_in_file: 1, duplicate_in_archive: 1 })
  // Someone else's upload is not there for a salesperson (the same answer as a missing one).
  assert.equal((await api('GET', `/api/v1/imports/${imp.id}`, { cookie: sales.cookie })).status, 404)
  assert.equal((await api('GET', `/api/v1/imports/${imp.id}/customers`, { cookie: sales.cookie })).status, 404)

  // "All rows" is refused while any row is bad; nothing is written.
  const all = await submitImport(admin, imp.id, 'all')
  assert.equal(all.status, 422)
  assert.match(errorOf(all).message, /有 7 行存在问题/)
  assert.equal(await countWhere(`问题${t}%`), 0)
  // The good rows only.
  const some = await submitImport(admin, imp.id, 'good_only')
  assert.equal(some.status, 201, some.text.slice(0, 300))
  assert.equal(some.json.result.imported, 2)
  assert.deepEqual((await sql(`select name from customers where name like ${lit(`问题${t}%`)} order by id`)).map((r) => r[0]), [`问题${t}甲有限公司`, `问题${t}庚`])
})

test("a manager's import waits for an admin, and messages come in the user's language", async () => {
  const login = await addStaff('impmgr', 'manager')
  const mgr = await open(login)
  assert.equal((await api('PUT', '/api/v1/me/lang', { body: { lang: 'en' }, cookie: mgr.cookie, csrf: mgr.csrf })).status, 200)
  const t = tag()
  const pre = await upload(mgr, withBom(csv([header, good(`经理${t}甲`), good(`经理${t}乙`).map((v, i) => (i === 4 ? 'Mars' : v))])))
  assert.equal(pre.status, 201)
  assert.deepEqual(pre.json.import.problems.map((p) => [p.row, p.column, p.message]), [[3, 5, 'Region is not one of the choices.']])
  const doc = await submitImport(mgr, pre.json.import.id, 'good_only')
  assert.equal(doc.status, 201, doc.text.slice(0, 300))
  assert.equal(doc.json.applied, false, 'waits for the admin')
  assert.equal(await countWhere(`经理${t}%`), 0)
  const twice = await submitImport(mgr, pre.json.import.id, 'good_only')
  assert.equal(twice.status, 409, 'one document per file at a time')
  assert.match(errorOf(twice).message, /waiting for approval/)
  const ok = await decide(admin, doc.json.document.id, 'approve')
  assert.equal(ok.status, 200, ok.text.slice(0, 300))
  assert.equal(ok.json.applied, true)
  assert.equal(await countWhere(`经理${t}%`), 1)
  assert.equal(await sqlInt(`select created_by from customers where name = ${lit(`经理${t}甲`)}`), mgr.user.id)
})

test('an import that fails halfway leaves the archive exactly as it was; a retry imports everything', async () => {
  const t = tag()
  const n = 6000 // two batches of the apply (5,000 rows each)
  const rows = [header]
  for (let i = 1; i <= n; i++) rows.push(good(`半途${t}客户${i}`, ''))
  const pre = await upload(admin, withBom(csv(rows)), 'halfway.csv')
  assert.equal(pre.status, 201, pre.text.slice(0, 300))
  assert.equal(pre.json.import.good, n)
  // Plant a customer holding the number the 5,500th row will get: the second
  // batch of the import then fails on the unique number.
  const [day, seq] = (await sql("select to_char(current_date, 'YYYYMMDD'), coalesce((select seq from number_seq where name = 'customer' and day = current_date), 0)"))[0]
  const planted = `C${day}-${String(Number(seq) + 5500).padStart(4, '0')}`
  const plantName = `占位${t}`
  await sql(`insert into customers (number, name, name_norm) values (${lit(planted)}, ${lit(plantName)}, ${lit(plantName)})`)
  const before = await sqlInt('select count(*) from customers')
  const failed = await submitImport(admin, pre.json.import.id, 'all')
  assert.equal(failed.status, 409, failed.text.slice(0, 300))
  assert.match(errorOf(failed).message, /整个导入已撤销/)
  assert.equal(await sqlInt('select count(*) from customers'), before, 'nothing was half-imported')
  assert.equal(await countWhere(`半途${t}%`), 0)
  assert.equal(await sqlInt(`select count(*) from customer_search where doc like ${lit(`半途${t}%`)}`), 0, 'no search row left behind')
  const state = await api('GET', `/api/v1/imports/${pre.json.import.id}`, { cookie: admin.cookie })
  assert.equal(state.json.import.status, 'checked')
  assert.equal(state.json.import.progress.phase, 'failed')

  await sql(`delete from customers where name = ${lit(plantName)}`) // test clean-up only
  const retry = await submitImport(admin, pre.json.import.id, 'all', idemKey('retry'))
  assert.equal(retry.status, 201, retry.text.slice(0, 300))
  assert.equal(await countWhere(`半途${t}%`), n)
  // The search rows came from the import's second connection: one per
  // customer, each exactly the customer's text; the search finds them.
  assert.equal(await sqlInt(`select count(*) from customers c join customer_search s on s.id = c.id and s.doc = crm_search_doc(c.name, c.number, c.contact, c.phone) where c.name like ${lit(`半途${t}%`)}`), n)
  const found = await api('GET', `/api/v1/customers?view=all&q=${encodeURIComponent(`半途${t}客户5999`)}`, { cookie: admin.cookie })
  assert.equal(found.status, 200, found.text)
  assert.deepEqual(found.json.items.map((c) => c.name), [`半途${t}客户5999`])
  const number = await sqlOne(`select number from customers where name = ${lit(`半途${t}客户77`)}`)
  const byNumber = await api('GET', `/api/v1/customers?view=all&q=${encodeURIComponent(number)}`, { cookie: admin.cookie })
  assert.deepEqual(byNumber.json.items.map((c) => c.name), [`半途${t}客户77`])
})

test("when the search rows' own connection fails, the import writes them itself", async () => {
  const t = tag()
  const n = 6000 // two batches: the second one merges the pending list first
  const rows = [header]
  for (let i = 1; i <= n; i++) rows.push(good(`旁路${t}客户${i}`, ''))
  const pre = await upload(admin, withBom(csv(rows)), 'fallback.csv')
  assert.equal(pre.json.import.good, n)
  // For the time of the import the merge that connection runs (halfway and
  // at the end) fails: its transaction is lost after its first batch.
  await sql(`alter function crm_search_flush() rename to crm_search_flush_real;
    create function crm_search_flush() returns bigint language plpgsql as $$begin raise exception 'injected'; end$$`)
  let doc
  try {
    doc = await submitImport(admin, pre.json.import.id, 'all')
  } finally {
    await sql('drop function crm_search_flush(); alter function crm_search_flush_real() rename to crm_search_flush')
  }
  assert.equal(doc.status, 201, doc.text.slice(0, 300))
  assert.equal(await countWhere(`旁路${t}%`), n)
  assert.equal(await sqlInt(`select count(*) from customers c join customer_search s on s.id = c.id and s.doc = crm_search_doc(c.name, c.number, c.contact, c.phone) where c.name like ${lit(`旁路${t}%`)}`), n)
  const found = await api('GET', `/api/v1/customers?view=pool&q=${encodeURIComponent(`旁路${t}客户4321`)}`, { cookie: admin.cookie })
  assert.deepEqual(found.json.items.map((c) => c.name), [`旁路${t}客户4321`])
})

test('every customer has its search row, exactly its name, number, contact and phone (written by triggers and by imports)', async () => {
  // By now the archive holds customers added, edited, numbered at commit,
  // claimed and imported by the tests before this one.
  assert.ok(await sqlInt('select count(*) from customers') > 0)
  assert.equal(await sqlInt('select count(*) from customers c left join customer_search s on s.id = c.id where s.doc is distinct from crm_search_doc(c.name, c.number, c.contact, c.phone)'), 0)
  assert.equal(await sqlInt('select count(*) from customer_search s where not exists (select 1 from customers c where c.id = s.id)'), 0)
  // An edit of the phone moves the search with it (trigger).
  const t = tag()
  const id = await sqlInt(`insert into customers (number, name, name_norm, phone) values (${lit(`S${t}`)}, ${lit(`搜索${t}`)}, ${lit(`搜索${t}`)}, '13900001111') returning id`)
  await sql(`update customers set phone = '13922223333' where id = ${id}`)
  assert.equal(await sqlOne(`select replace(doc, E'\\n', '|') from customer_search where id = ${id}`), `搜索${t}|S${t}||13922223333`)
  await sql(`delete from customers where id = ${id}`) // test clean-up only
  assert.equal(await sqlInt(`select count(*) from customer_search where id = ${id}`), 0)
})

test('a customer added after the pre-check stops the import', async () => {
  const t = tag()
  const pre = await upload(admin, withBom(csv([header, good(`后来${t}甲`), good(`后来${t}乙`)])))
  assert.equal(pre.json.import.good, 2)
  const norm = `后来${t}乙`.toLowerCase()
  await sql(`insert into customers (number, name, name_norm) values (${lit(`X${t}`)}, ${lit(`后来${t}乙`)}, ${lit(norm)})`)
  const doc = await submitImport(admin, pre.json.import.id, 'all')
  assert.equal(doc.status, 409)
  assert.match(errorOf(doc).message, /第 3 行/)
  assert.equal(await countWhere(`后来${t}甲`), 0)
  await sql(`delete from customers where number = ${lit(`X${t}`)}`) // test clean-up only
})

test("an applied import's staged rows are purged (crmctl imports purge, as crmd's job); its result page stays, an unapplied import keeps its rows", async () => {
  const t = tag()
  const applied = await upload(admin, withBom(csv([header, good(`清理${t}甲`), good(`清理${t}乙`)])))
  const waiting = await upload(admin, withBom(csv([header, good(`清理${t}丙`)])))
  assert.equal(applied.status, 201)
  assert.equal(waiting.status, 201)
  const a = applied.json.import.id
  const w = waiting.json.import.id
  const staged = (id) => sqlInt(`select count(*) from import_rows where import_id = ${Number(id)}`)
  assert.equal(await staged(a), 2)
  assert.equal(await staged(w), 1)
  assert.equal((await submitImport(admin, a, 'all')).status, 201)

  const out = await crmctl(['imports', 'purge'])
  assert.match(out, /imports purge: \d+ staged rows deleted/)
  assert.ok(Number(out.match(/(\d+) staged/)[1]) >= 2, out)
  assert.equal(await staged(a), 0, 'the applied import has no staged rows left')
  assert.equal(await staged(w), 1, 'the import not yet applied keeps its rows')
  assert.match(await crmctl(['imports', 'purge']), /imports purge: 0 staged rows deleted/)

  const page = await api('GET', `/api/v1/imports/${a}/customers`, { cookie: admin.cookie })
  assert.equal(page.status, 200)
  assert.deepEqual(page.json.items.map((c) => c.name).sort(), [`清理${t}乙`, `清理${t}甲`].sort())
  assert.equal((await api('GET', `/api/v1/imports/${a}`, { cookie: admin.cookie })).json.import.status, 'done')
  // The waiting one is still importable after the purge.
  assert.equal((await submitImport(admin, w, 'all')).status, 201)
  assert.equal(await countWhere(`清理${t}丙`), 1)
})
