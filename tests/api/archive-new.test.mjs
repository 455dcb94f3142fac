// New customers (WF-NEW): applied at once with a generated number, owned by
// the applicant, counted in "My customers"; duplicate names refused after
// trimming, space removal, full-width folding, case folding and suffix
// folding (rules/customer.lua), with the existing number and owner or the
// pool in the message; a race of ten people adding the same name has one
// winner; the form's validation (rules/forms.lua) answers 422 with the field;
// messages follow the user's language.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'

import {
  api, submit, customerData, newCustomer, list, total, detail, inView, open, closeAll, addStaff,
  sql, sqlOne, sqlInt, lit, tag, tally, fullWidth, CUSTOMER_NUMBER, HAN
} from './archive-lib.mjs'
import { errorOf } from './lib.mjs'

after(closeAll)

const countByNorm = (norm) => sqlInt(`select count(*) from customers where name_norm = ${lit(norm)}`)
const countByName = (name) => sqlInt(`select count(*) from customers where name = ${lit(name)}`)

test('a new customer is applied at once: number C########-####, owner the applicant, +1 in view=mine', async () => {
  const s = await open('sales2')
  const before = await total(s, 'mine')
  const name = `新增测试${tag()}科技有限公司`
  const r = await submit(s, 'customer_new', customerData(name, { website: 'https://example.com', lat: 31.2, lng: 121.5 }))
  assert.equal(r.status, 201, r.text)
  const { document: doc, applied, result } = r.json
  assert.equal(applied, true)
  assert.equal(doc.status, 'approved')
  assert.equal(doc.kind, 'customer_new')
  assert.deepEqual(doc.steps, [], 'customer_new needs no approval by the shipped rules')
  assert.equal(doc.applicant.id, s.user.id)
  assert.match(doc.number, /^D/, 'documents have their own numbers')
  assert.match(result.number, CUSTOMER_NUMBER)
  assert.equal(doc.customer.id, result.id)

  const d = await detail(s, result.id)
  assert.equal(d.status, 200, d.text)
  const c = d.json.customer
  assert.equal(c.number, result.number)
  assert.equal(c.name, name)
  assert.equal(c.owner.id, s.user.id, 'the applicant owns the new customer')
  assert.equal(c.region, 'ec')
  assert.equal(c.type, 'enterprise_small')
  assert.equal(c.extra.website, 'https://example.com', 'the admin-added field is kept in extra')
  assert.equal(c.lat, 31.2)

  assert.equal(await total(s, 'mine'), before + 1, 'view=mine total grows by exactly one')
  assert.equal((await inView(s, 'mine', result.number)).found, true)
  assert.equal((await inView(s, 'pool', result.number)).found, false)
  assert.equal(await countByName(name), 1)

  // Surrounding spaces are trimmed before saving.
  const padded = `  新增测试${tag()}  `
  const r2 = await submit(s, 'customer_new', customerData(padded))
  assert.equal(r2.status, 201, r2.text)
  const d2 = await detail(s, r2.json.result.id)
  assert.equal(d2.json.customer.name, padded.trim())
  assert.notEqual(r2.json.result.number, result.number)
})

test('duplicate names are refused: exact, spaces, full-width, case, company suffix', async () => {
  const owner = await open('sales3')
  const other = await open('sales5') // another department: the check is global
  const t = tag(6).toUpperCase().replace(/[0-9]/g, 'K')
  const base = `查重ABC88贸易${t}有限公司`
  const made = await newCustomer(owner, base)
  const norm = await sqlOne(`select name_norm from customers where id = ${made.id}`)
  assert.equal(norm, `查重abc88贸易${t.toLowerCase()}`, 'name_norm: case-folded, suffix removed')

  const variants = {
    exact: base,
    'surrounding spaces': `   ${base}  `,
    'spaces inside': `查重 ABC 88 贸易 ${t} 有限公司`,
    'full-width space U+3000': `查重\u3000ABC88贸易${t}\u3000有限公司`,
    'full-width letters and digits': `查重ＡＢＣ８８贸易${fullWidth(t)}有限公司`,
    'lower case': `查重abc88贸易${t.toLowerCase()}有限公司`,
    'without 有限公司': `查重ABC88贸易${t}`,
    'with 股份有限公司': `查重ABC88贸易${t}股份有限公司`,
    'all at once': ` 查重 ａｂｃ８８ 贸易${fullWidth(t.toLowerCase())} `
  }
  for (const [what, name] of Object.entries(variants)) {
    for (const s of [owner, other]) {
      const r = await submit(s, 'customer_new', customerData(name))
      assert.equal(r.status, 409, `${what} (${JSON.stringify(name)}) by ${s.user.login}: ${r.text}`)
      const e = errorOf(r)
      assert.equal(e.code, 'duplicate_name', what)
      assert.equal(e.field, 'name', what)
      assert.ok(e.message.includes(made.number), `${what}: the message names the number: ${e.message}`)
      assert.ok(e.message.includes(owner.user.name), `${what}: the message names the owner: ${e.message}`)
      assert.deepEqual(e.detail, { id: made.id, number: made.number, in_pool: false, owner: owner.user.name }, what)
    }
  }
  assert.equal(await countByNorm(norm), 1, 'still one customer with that folded name')

  // Not everything is folded together: another word is another customer.
  const near = await submit(other, 'customer_new', customerData(`查重ABC88贸易${t}二有限公司`))
  assert.equal(near.status, 201, near.text)
})

test('the name of a pool customer is refused with in_pool: true and an offer to claim', async () => {
  const s = await open('sales4')
  const row = (await sql('select id, number, name from customers where owner_id is null order by id desc limit 1'))[0]
  assert.ok(row, 'no customer in the pool')
  const [id, number, name] = [Number(row[0]), row[1], row[2]]
  for (const variant of [name, ` ${name.replace(/有限公司$/, '')} `]) {
    const r = await submit(s, 'customer_new', customerData(variant))
    assert.equal(r.status, 409, `${variant}: ${r.text}`)
    const e = errorOf(r)
    assert.equal(e.code, 'duplicate_name')
    assert.equal(e.field, 'name')
    assert.equal(e.detail.in_pool, true)
    assert.equal(e.detail.id, id)
    assert.equal(e.detail.number, number)
    assert.equal(e.detail.owner, undefined, 'a pool customer has no owner')
    assert.ok(e.message.includes(number), e.message)
    assert.ok(e.message.includes('公海'), `the message says it is in the public pool: ${e.message}`)
  }
  assert.equal(await sqlOne(`select owner_id is null from customers where id = ${id}`), 't', 'still in the pool')
})

test('ten people adding the same new name at the same moment: one 201, nine 409 duplicate_name', async () => {
  const logins = ['sales1', 'sales2', 'sales3', 'sales4', 'sales5', 'sales6', 'manager1', 'manager2', 'director', 'admin']
  const sessions = await Promise.all(logins.map((l) => open(l)))
  const t = tag()
  const name = `并发新增${t}物流有限公司`
  const answers = await Promise.all(sessions.map((s) => submit(s, 'customer_new', customerData(name))))
  assert.deepEqual(tally(answers), { 201: 1, '409 duplicate_name': 9 }, answers.map((r) => r.text.slice(0, 200)).join('\n'))
  const win = answers.findIndex((r) => r.status === 201)
  const winner = sessions[win]
  for (const r of answers) if (r.status === 409) assert.equal(errorOf(r).field, 'name')
  assert.equal(await countByNorm(`并发新增${t}物流`), 1, 'one row in the database')
  const d = await detail(winner, answers[win].json.result.id)
  assert.equal(d.json.customer.owner.id, winner.user.id)
  // Every document of the losers was rolled back with its refusal.
  assert.equal(
    await sqlInt(`select count(*) from documents where kind = 'customer_new' and data->>'name' = ${lit(name)}`),
    1,
    'only the winner left a document'
  )
})

test('validation: missing or bad fields answer 422 with the field, and nothing is created', async () => {
  const s = await open('sales6')
  const name = `校验测试${tag()}`
  const cases = [
    ['missing address', customerData(name, { address: undefined }), 'address'],
    ['empty address', customerData(name, { address: '' }), 'address'],
    ['missing name', customerData(undefined, {}), 'name'],
    ['bad region', customerData(name, { region: 'atlantis' }), 'region'],
    ['bad type', customerData(name, { type: 'no_such_type' }), 'type'],
    ['bad source', customerData(name, { source: 'rumour' }), 'source'],
    ['bad phone', customerData(name, { phone: 'call me' }), 'phone'],
    ['lat out of range', customerData(name, { lat: 91 }), 'lat'],
    ['share_with not ids', customerData(name, { share_with: ['sales2'] }), 'share_with'],
    ['unknown field', customerData(name, { favourite_colour: 'blue' }), 'favourite_colour'],
    ['name too long', customerData('名'.repeat(201)), 'name']
  ]
  for (const [what, data, field] of cases) {
    const r = await submit(s, 'customer_new', data)
    assert.equal(r.status, 422, `${what}: ${r.text}`)
    const e = errorOf(r)
    assert.equal(e.code, 'validation', what)
    assert.equal(e.field, field, what)
    assert.match(e.message, HAN, `${what}: a zh-CN user gets Chinese: ${e.message}`)
  }
  assert.equal(await countByName(name), 0, 'nothing was created')
  assert.equal(await sqlInt(`select count(*) from documents where data->>'name' = ${lit(name)}`), 0, 'no document either')

  // An unknown kind and an unknown top-level field are refused too.
  const k = await submit(s, 'customer_delete', { customer_id: 1 })
  assert.equal(k.status, 400, k.text)
  assert.equal(errorOf(k).field, 'kind')
})

test('messages follow the user language: Accept-Language does not override a zh-CN user, an English user reads English', async () => {
  const zh = await open('sales1')
  const existing = (await list(zh, { view: 'mine', size: 1 })).json.items[0]
  assert.ok(existing, 'sales1 owns a customer')
  const dupZh = await submit(zh, 'customer_new', customerData(existing.name), { headers: { 'accept-language': 'en-US,en;q=0.9' } })
  assert.equal(dupZh.status, 409, dupZh.text)
  assert.match(errorOf(dupZh).message, HAN, 'the zh-CN setting wins over Accept-Language')

  const login = await addStaff('tlang')
  const en = await open(login)
  const lang = await api('PUT', '/api/v1/me/lang', { cookie: en.cookie, csrf: en.csrf, body: { lang: 'en' } })
  assert.equal(lang.status, 200, lang.text)

  const dup = await submit(en, 'customer_new', customerData(existing.name))
  assert.equal(dup.status, 409, dup.text)
  const e = errorOf(dup)
  assert.equal(e.code, 'duplicate_name')
  assert.doesNotMatch(e.message.replace(existing.owner, ''), HAN, `English message: ${e.message}`)
  assert.match(e.message, /already exists/i)
  assert.ok(e.message.includes(existing.number), e.message)
  assert.ok(e.message.includes(existing.owner), e.message)

  const v = await submit(en, 'customer_new', customerData(`英文校验${tag()}`, { address: undefined }))
  assert.equal(v.status, 422, v.text)
  assert.equal(errorOf(v).field, 'address')
  assert.equal(errorOf(v).message, 'Address is required.')

  const pool = (await sql('select name, number from customers where owner_id is null order by id desc limit 1'))[0]
  const p = await submit(en, 'customer_new', customerData(pool[0]))
  assert.equal(p.status, 409, p.text)
  assert.match(errorOf(p).message, /pool/i)
  assert.ok(errorOf(p).message.includes(pool[1]))
})
